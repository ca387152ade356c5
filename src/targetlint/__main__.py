from targetlint.cli import main

main()
