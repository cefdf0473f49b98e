"""The Publicaties section: photos and videos, publishing, and the takedown list."""
