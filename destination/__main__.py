from destination.cli import main

raise SystemExit(main())
