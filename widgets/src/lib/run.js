/** A run of sibling nodes that one piece of source rendered to, replaced in place when it renders again. */

/**
 * @param {Node} parent
 * @param {Node[]} nodes
 * @param {Node | null} ref
 */
export function insertAll(parent, nodes, ref) {
  for (const node of nodes) parent.insertBefore(node, ref);
}

export class Run {
  constructor() {
    /** @type {Node[]} */
    this.nodes = [];
  }

  /** @returns {Node | null} */
  first() {
    return this.nodes[0] ?? null;
  }

  remove() {
    for (const node of this.nodes) node.parentNode?.removeChild(node);
    this.nodes = [];
  }

  /**
   * Replace this run's nodes with `nodes`, in place (before `ref` when the run is empty).
   * @param {Node} parent
   * @param {Node[]} nodes sanitised
   * @param {Node | null} ref
   */
  set(parent, nodes, ref) {
    insertAll(parent, nodes, this.first() ?? ref);
    this.remove();
    this.nodes = nodes;
  }
}
