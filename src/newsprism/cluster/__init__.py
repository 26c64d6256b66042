"""Story clustering for corpus mode: articles in, stories with stable ids out."""

from newsprism.cluster.features import Sketch, make_sketch
from newsprism.cluster.stories import Assignment, ClusterParams, StoryClusterer

__all__ = ["Assignment", "ClusterParams", "Sketch", "StoryClusterer", "make_sketch"]
