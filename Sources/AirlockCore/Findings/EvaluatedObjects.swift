#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The display names of the objects one rule evaluated, in order. The rule runs of a check share
/// one table of names and each holds 4-byte positions into it: the runs are built while every
/// object's nodes are still in memory, and a string per object (64 bytes for a name of 25) and
/// per rule run (16 more) was the largest thing added at that peak.
public struct EvaluatedObjects: RandomAccessCollection, Sendable, Equatable, Codable, ExpressibleByArrayLiteral {
    /// Names shared by the rule runs of one check, as one run of UTF-8 bytes each.
    public final class NameTable: Sendable {
        private let bytes: [UInt8]
        /// Where each name ends in `bytes` (it starts where the one before ends).
        private let ends: [UInt32]
        /// Whether every name is ASCII, so that byte order is `String` order.
        private let isASCII: Bool
        /// Each name's place in `String` order among the table's names (equal names share one):
        /// the names are compared once, and each rule's objects are then sorted by these.
        private let ranks: [UInt32]

        /// The table of `names`; `byteCount`, when known, sizes the buffer at once (it is made at
        /// the run's peak of memory, where a doubling buffer's slack would count).
        public init(_ names: some Collection<String>, byteCount: Int? = nil) {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(byteCount ?? names.reduce(0) { $0 + $1.utf8.count })
            var ends: [UInt32] = []
            ends.reserveCapacity(names.count)
            for name in names {
                bytes.append(contentsOf: name.utf8)
                ends.append(UInt32(bytes.count))
            }
            self.bytes = bytes
            self.ends = ends
            isASCII = bytes.allSatisfy { $0 < 0x80 }
            ranks = Self.ranks(bytes: bytes, ends: ends, isASCII: isASCII)
        }

        /// Each name's place in `String` order: by bytes when every name is ASCII (the usual case,
        /// no string made), else as strings.
        private static func ranks(bytes: [UInt8], ends: [UInt32], isASCII: Bool) -> [UInt32] {
            bytes.withUnsafeBufferPointer { bytes in
                func name(_ position: Int) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: bytes[range(of: position, ends: ends)]) }
                func order(_ first: Int, _ second: Int) -> Int {
                    guard !isASCII else { return compareBytes(name(first), name(second)) }
                    let (left, right) = (String(decoding: name(first), as: UTF8.self), String(decoding: name(second), as: UTF8.self))
                    return left == right ? 0 : left < right ? -1 : 1
                }
                let sorted = ends.indices.sorted { order($0, $1) < 0 }
                var ranks = [UInt32](repeating: 0, count: ends.count)
                for (place, position) in sorted.enumerated().dropFirst() {
                    let previous = sorted[place - 1]
                    ranks[position] = ranks[previous] + (order(previous, position) < 0 ? 1 : 0)
                }
                return ranks
            }
        }

        subscript(position: Int) -> String {
            bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(of: position)]), as: UTF8.self) }
        }

        /// Whether the name at `first` sorts before the one at `second`, as `String` compares them.
        func precedes(_ first: Int, _ second: Int) -> Bool { ranks[first] < ranks[second] }

        /// How the name at `position` orders against `other`, as `String` compares them: negative,
        /// zero or positive.
        func compare(_ position: Int, with other: String) -> Int {
            var utf8 = other
            let byBytes = utf8.withUTF8 { otherBytes in
                isASCII && !otherBytes.contains(where: { $0 >= 0x80 }) ? withName(at: position) { Self.compareBytes($0, otherBytes) } : nil
            }
            if let byBytes { return byBytes }
            let own = self[position]
            return own == other ? 0 : own < other ? -1 : 1
        }

        func withName<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
            try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range(of: position)])) }
        }

        private static func compareBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Int {
            let common = Swift.min(left.count, right.count)
            let order = common == 0 ? 0 : Int(memcmp(left.baseAddress!, right.baseAddress!, common))
            return order != 0 ? order : left.count - right.count
        }

        private func range(of position: Int) -> Range<Int> { Self.range(of: position, ends: ends) }

        private static func range(of position: Int, ends: [UInt32]) -> Range<Int> {
            (position == 0 ? 0 : Int(ends[position - 1]))..<Int(ends[position])
        }
    }

    private let table: NameTable
    private let positions: [UInt32]

    /// The names as they are.
    public init(_ names: [String]) {
        table = NameTable(names)
        positions = Array(0..<UInt32(names.count))
    }

    public init(arrayLiteral names: String...) {
        self.init(names)
    }

    /// The names at `positions` of `table`, sorted.
    public init(sorting positions: [UInt32], of table: NameTable) {
        self.init(table: table, positions: positions.sorted { table.precedes(Int($0), Int($1)) })
    }

    private init(table: NameTable, positions: [UInt32]) {
        self.table = table
        self.positions = positions
    }

    /// The names in `String` order, without making a string of each (and without a copy when
    /// they are in order already, as the engine makes them).
    public func sorted() -> EvaluatedObjects {
        let inOrder = zip(positions, positions.dropFirst()).allSatisfy { !table.precedes(Int($1), Int($0)) }
        return inOrder ? self : EvaluatedObjects(sorting: positions, of: table)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { positions.count }
    public subscript(position: Int) -> String { table[Int(positions[position])] }

    /// The UTF-8 bytes of the name at `position`, without making a string of them.
    public func withUTF8Name<Result>(at position: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try table.withName(at: Int(positions[position]), body)
    }

    /// How the name at `position` orders against `name`, as `String` compares them: negative,
    /// zero or positive (without making a string of the name when both are ASCII).
    public func compareName(at position: Int, with name: String) -> Int {
        table.compare(Int(positions[position]), with: name)
    }

    /// Whether the names at two positions are the same.
    public func namesEqual(_ first: Int, _ second: Int) -> Bool {
        let (left, right) = (Int(positions[first]), Int(positions[second]))
        return !table.precedes(left, right) && !table.precedes(right, left)
    }

    public static func == (left: EvaluatedObjects, right: EvaluatedObjects) -> Bool { left.elementsEqual(right) }

    public init(from decoder: any Decoder) throws {
        self.init(try [String](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}
