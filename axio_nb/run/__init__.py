"""Kernel-side orchestration on the kernel's own loop: transports, sessions, prompts, turns, results."""
