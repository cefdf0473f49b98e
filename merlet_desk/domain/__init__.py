"""Pure rules of the program: no Qt, no SQL. Fast to test, shared by the GUI and the CLI."""
