/// A source line made safe for the terminal, with the whitespace that puts a caret under a
/// column counted in Unicode scalars (tabs kept, wide characters two cells, marks zero).
///
/// A line wider than `width` cells is clipped to a window around the column, `…` marking each
/// side that was cut: a compact JSON file is one line of any length, and printing it whole for
/// each finding made the report grow with findings times file size.
struct SourceExcerpt {
    var text = ""
    var caretPrefix = ""

    /// The most terminal cells an excerpt takes, clipping marks included.
    static let width = 120
    /// Cells kept before the caret when the line is clipped (more when the line ends soon after).
    static let leftContext = 40
    /// What stands for the text cut off on either side (one cell).
    static let clipMark = "…"

    init(line: String, column: Int, width: Int = SourceExcerpt.width) {
        self.init(line: Line(line), column: column, width: width)
    }

    init(line: Line, column: Int, width: Int = SourceExcerpt.width) {
        let scalars = line.text.unicodeScalars
        let (caret, pastEnd) = line.index(ofScalar: max(column, 1) - 1)
        var lower = scalars.startIndex
        var upper = scalars.endIndex
        if !Self.fits(scalars, within: width) {
            // The caret's own character, up to `leftContext` cells before it, as much after it
            // as fits, then more before it when the line ended first.
            let budget = max(width - 2 * Self.clipMark.count, 1)
            (lower, upper) = (caret, caret)
            var used = 0
            if upper != scalars.endIndex {
                used += Self.shownCells(scalars[upper])
                scalars.formIndex(after: &upper)
            }
            func extendLeft(to limit: Int) {
                while lower != scalars.startIndex {
                    let previous = scalars.index(before: lower)
                    let cells = Self.shownCells(scalars[previous])
                    guard used + cells <= limit else { return }
                    used += cells
                    lower = previous
                }
            }
            extendLeft(to: min(Self.leftContext, budget))
            while upper != scalars.endIndex {
                let cells = Self.shownCells(scalars[upper])
                guard used + cells <= budget else { break }
                used += cells
                scalars.formIndex(after: &upper)
            }
            if upper == scalars.endIndex { extendLeft(to: budget) }
        }
        let clippedLeft = lower != scalars.startIndex
        if clippedLeft {
            text += Self.clipMark
            caretPrefix += " "
        }
        var index = lower
        while index != upper {
            let scalar = scalars[index]
            // A `[` opening a CI runner command (`##[`, see `TextSanitizer.logCommandsDefused`)
            // is escaped too: the whole line is what the runner reads.
            let defused = scalar == "[" && TextSanitizer.opensLogCommand(text.unicodeScalars)
            let shown = defused ? TextSanitizer.visibleEscape(scalar) : TextSanitizer.terminal(String(scalar))
            text += shown
            if index < caret {
                if scalar == "\t" {
                    caretPrefix += "\t"
                } else {
                    caretPrefix += String(repeating: " ", count: defused ? shown.unicodeScalars.count : Self.shownCells(scalar))
                }
            }
            scalars.formIndex(after: &index)
        }
        if upper != scalars.endIndex { text += Self.clipMark }
        // The column points past the end of the line (e.g. a missing key after the last one).
        caretPrefix += String(repeating: " ", count: pastEnd)
    }

    /// Whether the whole line takes at most `width` cells; looks at no more than `width` scalars.
    private static func fits(_ scalars: String.UnicodeScalarView, within width: Int) -> Bool {
        var used = 0
        for scalar in scalars {
            used += shownCells(scalar)
            if used > width { return false }
        }
        return true
    }

    /// Cells a scalar takes once made safe: an escaped control character is its escape's length,
    /// a tab counts as 8 (at most that much indentation).
    static func shownCells(_ scalar: Unicode.Scalar) -> Int {
        if scalar == "\t" { return 8 }
        let shown = TextSanitizer.terminal(String(scalar)).unicodeScalars
        return shown.count > 1 ? shown.count : cells(scalar)
    }

    /// Terminal cells a scalar occupies: 0 for combining marks and joiners, 2 for East Asian wide
    /// characters and emoji, else 1. An approximation of wcwidth that needs no tables.
    static func cells(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if (0xFE00...0xFE0F).contains(scalar.value) { return 0 }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch scalar.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

extension SourceExcerpt {
    /// A source line with the position of every `stride`th scalar, so that the scalar at a column
    /// is found without walking the line from its start: the findings on one long line (a
    /// compact JSON file) then cost the line's length once, not once each.
    struct Line {
        let text: String
        private var checkpoints: [String.Index] = []
        private static let stride = 256

        init(_ text: String) {
            self.text = text
            // A line of at most `stride` bytes has at most `stride` scalars: no checkpoint needed.
            guard text.utf8.count > Self.stride else { return }
            let scalars = text.unicodeScalars
            var index = scalars.startIndex
            var offset = 0
            while index != scalars.endIndex {
                if offset % Self.stride == 0 { checkpoints.append(index) }
                scalars.formIndex(after: &index)
                offset += 1
            }
        }

        /// The index of the scalar at 0-based `offset`; past the end, the end index and how many
        /// scalars past it `offset` is.
        func index(ofScalar offset: Int) -> (index: String.Index, pastEnd: Int) {
            let scalars = text.unicodeScalars
            let checkpoint = min(offset / Self.stride, checkpoints.count - 1)
            var index = checkpoint >= 0 ? checkpoints[checkpoint] : scalars.startIndex
            var remaining = checkpoint >= 0 ? offset - checkpoint * Self.stride : offset
            while remaining > 0, index != scalars.endIndex {
                scalars.formIndex(after: &index)
                remaining -= 1
            }
            return (index, remaining)
        }
    }
}
