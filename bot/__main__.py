"""``python -m bot`` runs the quotebot command line."""

from bot.cli import main

main()
