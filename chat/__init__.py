"""The live discussion room and the chatbot."""
