"""Screen text: labels of stored values and the wording of the domain's results."""
