"""The experts' review of the regional development strategies (RUS): template, agreement, consensus."""
