"""Letters (PDF, Danish, A4) rendered with fpdf2 from plain data: see ``model.py``."""
