"""Input and output channels Rasa 3.6 lacks or gets wrong; they only translate."""
