/// Positions in an inventory's resource array by kind, namespace and name: an open-addressing
/// table of 4-byte slots, instead of a dictionary keyed by three strings (56 bytes an entry, 7 MB
/// at 90,000 resources).
struct IdentityIndex: Sendable {
    /// 0 for an empty slot, else the position plus one.
    private var slots: [UInt32]
    /// The positions of the resources that replaced an earlier one of the same identity, and of
    /// the one each replaced, in order.
    private(set) var replacements: [(earlier: Int, later: Int)] = []

    /// Indexes every resource, in order: a later one replaces an earlier one of the same identity.
    /// The table has at least twice as many slots as resources, so it is never more than half full.
    init(_ resources: [Resource]) {
        slots = [UInt32](repeating: 0, count: Self.slotCount(for: resources.count))
        for position in resources.indices { insert(position, of: resources) }
    }

    /// Indexes `resources[position]`; it replaces an earlier resource of the same identity.
    private mutating func insert(_ position: Int, of resources: [Resource]) {
        let resource = resources[position]
        let slot = slot(kind: resource.indexKind, namespace: resource.namespace, name: resource.name, in: resources)
        if slots[slot] != 0 { replacements.append((Int(slots[slot]) - 1, position)) }
        slots[slot] = UInt32(position + 1)
    }

    /// The position of the last resource indexed with this identity.
    func position(kind: String, namespace: String, name: String, in resources: [Resource]) -> Int? {
        let entry = slots[slot(kind: kind, namespace: namespace, name: name, in: resources)]
        return entry == 0 ? nil : Int(entry) - 1
    }

    /// The slot that holds this identity, or the empty slot where it would go.
    private func slot(kind: String, namespace: String, name: String, in resources: [Resource]) -> Int {
        var slot = Self.hash(kind, namespace, name) & (slots.count - 1)
        while slots[slot] != 0 {
            let resource = resources[Int(slots[slot]) - 1]
            if resource.indexKind == kind, resource.namespace == namespace, resource.name == name { return slot }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private static func slotCount(for capacity: Int) -> Int {
        var count = 16
        while count < capacity * 2 { count *= 2 }
        return count
    }

    private static func hash(_ kind: String, _ namespace: String, _ name: String) -> Int {
        var hasher = Hasher()
        hasher.combine(kind)
        hasher.combine(namespace)
        hasher.combine(name)
        return hasher.finalize()
    }
}
