"""E-mail in general: rendering, the message and its ids, and the transports."""
