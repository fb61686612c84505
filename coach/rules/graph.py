"""Facts that depend on each other: the graph both checking and planning walk.

A rule that uses a fact depends on the rules that set it. Checking refuses a cycle that runs
through a negation (`not fact.x`), which no order of evaluation could decide; planning orders
the rules so that setters run first, repeating a group whose facts feed each other positively.
Pure.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import TypeAlias, TypeVar

# (fact used, fact set, rule id, used positively): one edge per fact a rule uses and sets.
Edge: TypeAlias = tuple[str, str, str, bool]


def negated_cycles(
    rules: Iterable[tuple[str, Mapping[str, bool], Sequence[str]]],
) -> list[tuple[str, str]]:
    """(rule id, the cycle in words) for each group of facts that depend on each other through
    a negation. `rules` gives each rule's id, the facts it uses (True: positively) and sets."""
    edges: list[Edge] = [
        (used, made, rule_id, positive)
        for rule_id, uses, sets in rules
        for used, positive in uses.items()
        for made in sets
    ]
    graph: dict[str, list[str]] = {}
    for used, made, _, _ in edges:
        graph.setdefault(used, []).append(made)
        graph.setdefault(made, [])
    component = {node: n for n, group in enumerate(components(graph)) for node in group}
    reported: set[int] = set()
    found: list[tuple[str, str]] = []
    for used, made, rule_id, positive in edges:
        group = component[used]
        if positive or component[made] != group or group in reported:
            continue
        reported.add(group)
        found.append((rule_id, _describe_cycle(used, made, rule_id, edges, component)))
    return found


def _describe_cycle(
    used: str,
    made: str,
    rule_id: str,
    edges: list[Edge],
    component: dict[str, int],
) -> str:
    """`fact.x -[not, rule r2]-> fact.y -[rule r1]-> fact.x`: the negated step, then back."""
    group = component[used]
    inside = [e for e in edges if component[e[0]] == group and component[e[1]] == group]
    # Breadth-first search from `made` back to `used` along edges inside the cycle.
    came_from: dict[str, tuple[str, str, bool] | None] = {made: None}
    queue = [made]
    while queue and used not in came_from:
        node = queue.pop(0)
        for source, target, rule, positive in inside:
            if source == node and target not in came_from:
                came_from[target] = (source, rule, positive)
                queue.append(target)
    path: list[tuple[str, str, bool]] = []
    node = used
    while came_from.get(node) is not None and node != made:
        step = came_from[node]
        assert step is not None
        path.append((node, step[1], step[2]))
        node = step[0]
    text = f"fact.{used} -[not, rule {rule_id}]-> fact.{made}"
    for target, rule, positive in reversed(path):
        text += f" -[{'' if positive else 'not, '}rule {rule}]-> fact.{target}"
    return text


Node = TypeVar("Node", bound=Hashable)


def components(graph: Mapping[Node, Sequence[Node]]) -> list[list[Node]]:
    """Strongly connected components in topological order (Kosaraju, without recursion)."""
    finished: list[Node] = []
    visited: set[Node] = set()
    for start in graph:
        if start in visited:
            continue
        visited.add(start)
        stack: list[tuple[Node, Iterable[Node]]] = [(start, iter(graph[start]))]
        while stack:
            node, children = stack[-1]
            child = next((c for c in children if c not in visited), None)
            if child is None:
                stack.pop()
                finished.append(node)
            else:
                visited.add(child)
                stack.append((child, iter(graph[child])))
    reverse: dict[Node, list[Node]] = {node: [] for node in graph}
    for node, children in graph.items():
        for child in children:
            reverse[child].append(node)
    assigned: set[Node] = set()
    result: list[list[Node]] = []
    for root in reversed(finished):
        if root in assigned:
            continue
        group = [root]
        assigned.add(root)
        pending = [root]
        while pending:
            for parent in reverse[pending.pop()]:
                if parent not in assigned:
                    assigned.add(parent)
                    group.append(parent)
                    pending.append(parent)
        result.append(group)
    return result
