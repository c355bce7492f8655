"""The `nlp` stage: one spaCy pipeline, built once per process, that fills a Document's facts."""

from dateline.nlp.pipeline import analyze, analyze_one, load_pipeline

__all__ = ["analyze", "analyze_one", "load_pipeline"]
