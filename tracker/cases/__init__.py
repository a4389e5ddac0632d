"""Use cases of a case: register, complete, decide, close; input checks; repeats; action cards."""
