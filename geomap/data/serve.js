// geomap serve's page: sort the places table on a header click, and take a file dropped on the form.
"use strict";

function sortTable(table, column, header) {
  const numeric = header.dataset.type === "number";
  const ascending = header.getAttribute("aria-sort") !== "ascending";
  const body = table.tBodies[0];
  const key = row => row.cells[column].textContent.trim();
  const rows = Array.from(body.rows).sort((a, b) => {
    const x = key(a), y = key(b);
    const order = numeric ? (parseFloat(x) || 0) - (parseFloat(y) || 0) : x.localeCompare(y);
    return ascending ? order : -order;
  });
  for (const th of table.tHead.rows[0].cells) th.removeAttribute("aria-sort");
  header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
  body.append(...rows);   // appending moves each row: the table is now in this order
}

const places = document.getElementById("places");
if (places) {
  Array.from(places.tHead.rows[0].cells).forEach((header, column) =>
    header.addEventListener("click", () => sortTable(places, column, header)));
}

const drop = document.getElementById("drop");
const fileInput = document.getElementById("file");
["dragenter", "dragover"].forEach(name => drop.addEventListener(name, event => {
  event.preventDefault();
  drop.classList.add("over");
}));
["dragleave", "drop"].forEach(name => drop.addEventListener(name, () => drop.classList.remove("over")));
drop.addEventListener("drop", event => {
  event.preventDefault();
  if (event.dataTransfer.files.length) {
    fileInput.files = event.dataTransfer.files;
    document.getElementById("geoparse").requestSubmit();
  }
});
