"""The data core: the scenario, curated tables read, validated and typed, and pure timeline logic."""
