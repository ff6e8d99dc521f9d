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
        }

        subscript(position: Int) -> String {
            bytes.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[range(of: position)]), as: UTF8.self) }
        }

        /// Whether the name at `first` sorts before the one at `second`, as `String` compares them:
        /// by bytes when every name is ASCII (the usual case, no string made), else as strings.
        func precedes(_ first: Int, _ second: Int) -> Bool {
            guard isASCII else { return self[first] < self[second] }
            let (left, right) = (range(of: first), range(of: second))
            let common = Swift.min(left.count, right.count)
            let order = common == 0 ? 0 : bytes.withUnsafeBufferPointer { buffer in
                memcmp(buffer.baseAddress! + left.lowerBound, buffer.baseAddress! + right.lowerBound, common)
            }
            return order != 0 ? order < 0 : left.count < right.count
        }

        private func range(of position: Int) -> Range<Int> {
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

    public static func == (left: EvaluatedObjects, right: EvaluatedObjects) -> Bool { left.elementsEqual(right) }

    public init(from decoder: any Decoder) throws {
        self.init(try [String](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}
