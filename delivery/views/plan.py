"""A strategy's delivery plan: its actions with their milestones and progress updates."""
