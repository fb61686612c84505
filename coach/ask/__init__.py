"""The one asking layer: prompts, the guided session with its screens, the CSI-4 and safety
screens, the timer and the terminal helpers. Nothing outside this package asks the user anything."""
