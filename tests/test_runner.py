from geomap.errors import InputError
from geomap.runner import pieces


def test_pieces_keep_the_spacy_batches_of_the_chunk():
    unreadable = InputError("cannot read it")
    chunk = [(n, str(n), unreadable if n in (2, 3, 9) else f"text {n}") for n in range(12)]
    cut = pieces(chunk, 3)
    assert [item for piece in cut for item in piece] == chunk
    # every piece but the last holds a whole batch of readable items: parse_items batches each piece as it
    # batches the whole chunk (an unreadable item is in no batch)
    assert [[n for n, _, text in piece if not isinstance(text, InputError)] for piece in cut] == \
        [[0, 1, 4], [5, 6, 7], [8, 10, 11]]


def test_pieces_end_with_what_is_left():
    chunk = [(n, str(n), f"text {n}") for n in range(5)]
    assert [[n for n, _, _ in piece] for piece in pieces(chunk, 2)] == [[0, 1], [2, 3], [4]]
    assert pieces(chunk, 16) == [chunk]
    assert pieces([], 16) == []


def test_a_worker_trims_its_heap_once_per_chunk_of_documents():
    from geomap.runner import HeapTrimmer
    trims = []
    trimmer = HeapTrimmer(100, release=lambda: trims.append(1))
    for _ in range(6):
        trimmer.parsed(16)   # 96 documents: not yet
    assert trims == []
    trimmer.parsed(16)
    assert trims == [1]
    for _ in range(6):
        trimmer.parsed(16)
    assert trims == [1]
