"""The app embeds and tokenises from request threads and background warm-ups at once (the recurrence warm-up
embeds its reference texts while the first search cleans its query): neither may fail the other."""

from concurrent.futures import ThreadPoolExecutor

from casebook.settings import Settings
from search import service as search_service
from search.embedding import tokenized


def test_searches_and_background_embedding_at_the_same_time_never_fail():
    embedder = search_service._embedder(Settings())

    def clean(n: int) -> int:  # as search.service.clean_query reads a query: other options than encode's
        options = {"truncation": True, "max_length": 64, "add_special_tokens": False}
        return len(
            tokenized(embedder.tokenizer, f"huurachterstand en schulden {n} " * 20, **options)["input_ids"]
        )

    def embed(n: int) -> int:
        return len(embedder.encode([f"Wachten op een besluit over begeleiding {n} " * 8] * 4))

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = [pool.submit(clean if n % 2 else embed, n) for n in range(400)]
        assert all(future.result() > 0 for future in results)
