"""One module per `ygmon` subcommand, each exposing `register(subparsers)`."""
