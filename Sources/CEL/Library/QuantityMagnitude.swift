/// The size of a Kubernetes quantity: a whole number of nano units (10⁻⁹, Kubernetes' finest
/// precision), exact at any size. Held as base-10⁹ digits, so that decimal text converts in both
/// directions digit group by digit group and the first digit is the fraction of a unit in nanos.
struct QuantityMagnitude: Hashable, Comparable, Sendable {
    /// Base-10⁹ digits, least significant first, with no zero digit at the top (zero has none).
    private(set) var digits: [UInt32]

    private static let base: UInt32 = 1_000_000_000
    private static let digitsPerLimb = 9

    static let zero = QuantityMagnitude(digits: [])

    private init(digits: [UInt32]) { self.digits = digits }

    /// The number of nanos `decimal` (ASCII digits, most significant first) spells.
    init(decimal: some BidirectionalCollection<UInt8>) {
        var digits: [UInt32] = []
        digits.reserveCapacity(decimal.count / Self.digitsPerLimb + 1)
        var end = decimal.endIndex
        while end != decimal.startIndex {
            let start = decimal.index(end, offsetBy: -Self.digitsPerLimb, limitedBy: decimal.startIndex) ?? decimal.startIndex
            digits.append(decimal[start..<end].reduce(0) { $0 * 10 + UInt32($1 - UInt8(ascii: "0")) })
            end = start
        }
        self.init(digits: digits)
        trimZeros()
    }

    /// `units` whole units (10⁹ nanos each).
    init(units: UInt64) {
        self.init(digits: [0, UInt32(units % UInt64(Self.base)), UInt32(units / UInt64(Self.base) % UInt64(Self.base)),
                           UInt32(units / UInt64(Self.base) / UInt64(Self.base))])
        trimZeros()
    }

    var isZero: Bool { digits.isEmpty }

    /// Whether it is a whole number of units.
    var isWholeUnits: Bool { (digits.first ?? 0) == 0 }

    /// The number of decimal digits of its whole units (0 below one unit).
    var wholeUnitDigitCount: Int {
        guard digits.count > 1, let top = digits.last else { return 0 }
        return (digits.count - 2) * Self.digitsPerLimb + String(top).count
    }

    /// Its whole units, when they fit in a `UInt64` (the fraction is dropped).
    var wholeUnits: UInt64? {
        var units: UInt64 = 0
        for digit in digits.dropFirst().reversed() {
            let (shifted, overflow) = units.multipliedReportingOverflow(by: UInt64(Self.base))
            let (sum, carry) = shifted.addingReportingOverflow(UInt64(digit))
            guard !overflow, !carry else { return nil }
            units = sum
        }
        return units
    }

    /// Plain decimal text in units, without exponent or trailing fraction zeros: `1536`, `0.5`,
    /// `0.000000001`.
    var decimalText: String {
        guard let top = digits.last, digits.count > 1 else {
            return digits.isEmpty ? "0" : "0." + fraction(of: digits[0])
        }
        var text = String(top)
        for digit in digits.dropFirst().dropLast().reversed() { text += padded(digit) }
        return digits[0] == 0 ? text : text + "." + fraction(of: digits[0])
    }

    private func padded(_ digit: UInt32) -> String {
        let text = String(digit)
        return String(repeating: "0", count: Self.digitsPerLimb - text.count) + text
    }

    private func fraction(of nanos: UInt32) -> String {
        String(padded(nanos).reversed().drop { $0 == "0" }.reversed())
    }

    mutating func multiply(by factor: UInt32) {
        var carry: UInt64 = 0
        for i in digits.indices {
            let product = UInt64(digits[i]) * UInt64(factor) + carry
            digits[i] = UInt32(product % UInt64(Self.base))
            carry = product / UInt64(Self.base)
        }
        while carry > 0 {
            digits.append(UInt32(carry % UInt64(Self.base)))
            carry /= UInt64(Self.base)
        }
        trimZeros()
    }

    /// Multiplies by 10ⁿ; for a negative n divides by 10⁻ⁿ, rounding up when anything is lost, as
    /// Kubernetes rounds a quantity up to the next nano.
    mutating func scale(byPowerOfTen n: Int) {
        guard !isZero else { return }
        if n >= 0 {
            digits.insert(contentsOf: repeatElement(0, count: n / Self.digitsPerLimb), at: 0)
            multiply(by: Self.powerOfTen(n % Self.digitsPerLimb))
            return
        }
        let droppedDigits = min(-n / Self.digitsPerLimb, digits.count)
        var lost = digits[..<droppedDigits].contains { $0 != 0 }
        digits.removeFirst(droppedDigits)
        let divisor = UInt64(Self.powerOfTen(-n % Self.digitsPerLimb))
        var remainder: UInt64 = 0
        for i in digits.indices.reversed() {
            let dividend = remainder * UInt64(Self.base) + UInt64(digits[i])
            digits[i] = UInt32(dividend / divisor)
            remainder = dividend % divisor
        }
        lost = lost || remainder != 0
        trimZeros()
        if lost { self = self + QuantityMagnitude(digits: [1]) }
    }

    private static func powerOfTen(_ n: Int) -> UInt32 {
        (0..<n).reduce(1) { power, _ in power * 10 }
    }

    private mutating func trimZeros() {
        while digits.last == 0 { digits.removeLast() }
    }

    static func + (a: QuantityMagnitude, b: QuantityMagnitude) -> QuantityMagnitude {
        var sum: [UInt32] = []
        sum.reserveCapacity(max(a.digits.count, b.digits.count) + 1)
        var carry: UInt32 = 0
        for i in 0..<max(a.digits.count, b.digits.count) {
            let digit = (i < a.digits.count ? a.digits[i] : 0) + (i < b.digits.count ? b.digits[i] : 0) + carry
            carry = digit >= base ? 1 : 0
            sum.append(digit - carry * base)
        }
        if carry > 0 { sum.append(carry) }
        return QuantityMagnitude(digits: sum)
    }

    /// `a - b` for `a >= b`.
    static func - (a: QuantityMagnitude, b: QuantityMagnitude) -> QuantityMagnitude {
        precondition(a >= b, "QuantityMagnitude subtraction below zero")
        var difference = a
        var borrow: UInt32 = 0
        for i in difference.digits.indices {
            let subtrahend = (i < b.digits.count ? b.digits[i] : 0) + borrow
            borrow = difference.digits[i] < subtrahend ? 1 : 0
            difference.digits[i] = difference.digits[i] + borrow * base - subtrahend
        }
        difference.trimZeros()
        return difference
    }

    static func < (a: QuantityMagnitude, b: QuantityMagnitude) -> Bool {
        guard a.digits.count == b.digits.count else { return a.digits.count < b.digits.count }
        for (x, y) in zip(a.digits.reversed(), b.digits.reversed()) where x != y { return x < y }
        return false
    }
}
