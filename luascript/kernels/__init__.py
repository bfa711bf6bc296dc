"""Marked loops (`// @gpu`) → kernel IR → CUDA C. Not implemented yet: marked loops run on the CPU."""
