"""Classification stage: local model and the backend contract LLM backends implement."""
