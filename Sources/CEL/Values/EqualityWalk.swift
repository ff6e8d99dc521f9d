/// One comparison of two collections (`Semantics.eq`). A plain walk compares element by element
/// and gives up past `plainSteps` (`exceeded`); a memoizing walk remembers the result of each pair
/// of nested collections it compared, so structure shared by many places is compared once (NaN
/// stays unequal to itself: results are remembered, not assumed).
final class EqualityWalk {
    /// Element comparisons a plain walk makes before it gives up.
    static let plainSteps = 100_000

    private var steps = 0
    private(set) var exceeded = false
    /// The compared pairs, when memoizing.
    private var memo: [Pair: Bool]?

    private struct Pair: Hashable {
        let left: CollectionIdentity
        let right: CollectionIdentity
    }

    init(memoizing: Bool) {
        memo = memoizing ? [:] : nil
    }

    func equal(_ a: CELValue, _ b: CELValue, nested: Bool = false) -> Bool {
        switch (a, b) {
        case (.list(let x), .list(let y)):
            guard x.count == y.count else { return false }
            if memo != nil, nested { return remembered(Pair(left: x.identity, right: y.identity)) { listsEqual(x, y) } }
            return listsEqual(x, y)
        case (.map(let x), .map(let y)):
            guard x.count == y.count else { return false }
            if memo != nil, nested { return remembered(Pair(left: x.identity, right: y.identity)) { mapsEqual(x, y) } }
            return mapsEqual(x, y)
        case (.optional(let x), .optional(let y)):
            switch (x, y) {
            case (nil, nil): return true
            case (let x?, let y?): return equal(x, y, nested: nested)
            default: return false
            }
        default:
            return Semantics.scalarEq(a, b)
        }
    }

    private func listsEqual(_ x: CELList, _ y: CELList) -> Bool {
        for i in 0..<x.count where !step() || !equal(x[i], y[i], nested: true) { return false }
        return true
    }

    private func mapsEqual(_ x: CELMap, _ y: CELMap) -> Bool {
        for k in x.keys {
            guard step(), let yv = y.value(forKey: k), let xv = x.value(forKey: k), equal(xv, yv, nested: true) else { return false }
        }
        return true
    }

    /// Counts one element comparison of a plain walk; false once it has made too many.
    private func step() -> Bool {
        guard memo == nil else { return true }
        steps += 1
        if steps > Self.plainSteps { exceeded = true }
        return !exceeded
    }

    @inline(never)
    private func remembered(_ pair: Pair, _ compare: () -> Bool) -> Bool {
        if let known = memo?[pair] { return known }
        let result = compare()
        memo?[pair] = result
        return result
    }
}
