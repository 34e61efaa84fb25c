"""The soak run (`make soak`): locust's simulated people against gunicorn, then a check."""
