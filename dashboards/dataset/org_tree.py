"""The org tree of a dataset: each org's path and container, found from the parent links."""


def place_orgs(nodes):
    """Path and container of every org reachable from a root in {id: (parent id, type)}.

    Return ({id: (path, container id)}, cycles); an org whose parent is missing, invalid or
    on a cycle is left out.
    """
    places, broken, cycles = {}, set(), []
    for start in nodes:
        chain, on_chain, node, base = [], {}, start, None
        while True:
            if node in places:
                base = places[node]
                break
            if node in broken or node not in nodes:
                break
            if node in on_chain:
                cycles.append(chain[on_chain[node] :])
                break
            on_chain[node] = len(chain)
            chain.append(node)
            parent = nodes[node][0]
            if parent is None:
                chain.pop()
                base = places[node] = (f"/{node}/", node)
                break
            node = parent
        if base is None:
            broken.update(chain)
            continue
        path, container = base
        for pk in reversed(chain):
            path = f"{path}{pk}/"
            places[pk] = (path, container)
    return places, cycles
