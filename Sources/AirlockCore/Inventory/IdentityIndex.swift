/// Positions in an inventory's resource array by kind, namespace and name: an open-addressing
/// table of 4-byte slots, instead of a dictionary keyed by three strings (56 bytes an entry, 7 MB
/// at 90,000 resources).
struct IdentityIndex: Sendable {
    /// 0 for an empty slot, else the position plus one.
    private var slots = [UInt32](repeating: 0, count: 16)
    private var count = 0

    /// Makes room for `capacity` resources without growing the table again.
    mutating func reserveCapacity(_ capacity: Int, of resources: [Resource]) {
        if capacity * 2 > slots.count { rehash(into: Self.slotCount(for: capacity), from: resources) }
    }

    /// Indexes `resources[position]`; it replaces an earlier resource of the same identity.
    mutating func insert(_ position: Int, of resources: [Resource]) {
        if (count + 1) * 2 > slots.count { rehash(into: slots.count * 2, from: resources) }
        let resource = resources[position]
        let slot = slot(kind: resource.kind, namespace: resource.namespace, name: resource.name, in: resources)
        if slots[slot] == 0 { count += 1 }
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
            if resource.kind == kind, resource.namespace == namespace, resource.name == name { return slot }
            slot = (slot + 1) & (slots.count - 1)
        }
        return slot
    }

    private mutating func rehash(into slotCount: Int, from resources: [Resource]) {
        let old = slots
        slots = [UInt32](repeating: 0, count: slotCount)
        for entry in old where entry != 0 {
            let resource = resources[Int(entry) - 1]
            var slot = Self.hash(resource.kind, resource.namespace, resource.name) & (slotCount - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slotCount - 1) }
            slots[slot] = entry
        }
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
