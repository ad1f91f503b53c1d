"""The chatbot: a grounded assistant that answers from the casebooks the asker may see and cites them.
One interface (chat.assistant.service.answer), two backends: the built-in assistant (retrieval and
extractive composition, no language model) and an OpenAI-compatible LLM server the municipality runs."""
