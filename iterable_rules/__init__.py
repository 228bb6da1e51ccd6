"""Facts about Iterable's API that both the adapter and the fake must agree on.

The adapter refuses what Iterable would refuse, and the fake refuses it the way
Iterable does; keeping the rules in one place keeps the two from drifting.
"""
