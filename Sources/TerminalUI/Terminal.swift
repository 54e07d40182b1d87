import CNcurses
import CSupport
import Foundation

/// The only code that calls curses. Owns the window from `initscr()`, draws
/// frames (only when they change), reads keys, and restores the terminal on
/// every way out: `shutdown()`, or the C signal guard for signals and crashes.
@MainActor
final class Terminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private var last: Frame?
    private let colors: Bool

    init() throws {
        setlocale(LC_ALL, "")
        // Save the terminal before curses changes it, so a signal can put it back.
        guard sd_install_terminal_guard(STDOUT_FILENO, "", 0) == 0 else { throw TerminalError.notATerminal }
        guard let window = initscr() else {
            sd_remove_terminal_guard()
            throw TerminalError.notATerminal
        }
        self.window = window
        raw()  // Ctrl-C arrives as a key and takes the normal way out.
        noecho()
        keypad(window, true)
        set_escdelay(25)
        wtimeout(window, 100)
        colors = has_colors() && getenv("NO_COLOR") == nil
        if colors {
            start_color()
            use_default_colors()
            init_pair(1, Int16(COLOR_GREEN), -1)
            init_pair(2, Int16(COLOR_RED), -1)
            init_pair(3, Int16(COLOR_YELLOW), -1)
            init_pair(4, Int16(COLOR_CYAN), -1)
        }
        let restore = Self.capability("rmcup") + Self.capability("cnorm") + Self.capability("rmkx") + Self.capability("sgr0")
        restore.withCString { sd_set_restore_bytes($0, strlen($0)) }
    }

    enum TerminalError: Error, CustomStringConvertible {
        case notATerminal
        var description: String { "could not start the terminal interface (is TERM set?)" }
    }

    private static func capability(_ name: String) -> String {
        guard let value = tigetstr(name), Int(bitPattern: value) != -1 else { return "" }
        return String(cString: value)
    }

    var size: (rows: Int, columns: Int) { (Int(getmaxy(window)), Int(getmaxx(window))) }

    /// Puts the terminal back as it was. Safe to call more than once.
    func shutdown() {
        endwin()
        sd_restore_terminal()
        sd_remove_terminal_guard()
    }

    func draw(_ frame: Frame) {
        if frame == last { return }
        last = frame
        werase(window)
        for (row, line) in frame.lines.enumerated() where row < frame.rows {
            var column: Int32 = 0
            for span in line.spans {
                let attr = attribute(span.style)
                wattr_on(window, attr_t(attr), nil)
                mvwaddstr(window, Int32(row), column, span.text)
                wattr_off(window, attr_t(attr), nil)
                column += Int32(span.text.count)
            }
        }
        if let cursor = frame.cursor {
            curs_set(1)
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else {
            curs_set(0)
        }
        wrefresh(window)
    }

    /// Forces the next `draw` to repaint everything (after a resize).
    func invalidate() {
        last = nil
        clearok(window, true)
    }

    private func attribute(_ style: Style) -> Int32 {
        switch style {
        case .normal: return 0
        case .bold: return sd_attr_bold()
        case .reverse: return sd_attr_reverse()
        case .dim: return colors ? sd_attr_dim() : 0
        case .good: return colors ? sd_color_pair(1) : 0
        case .bad: return colors ? sd_color_pair(2) | sd_attr_bold() : sd_attr_bold()
        case .warn: return colors ? sd_color_pair(3) : 0
        case .accent: return colors ? sd_color_pair(4) | sd_attr_bold() : sd_attr_bold()
        }
    }

    /// Waits up to the window's timeout (100 ms) for a key.
    func readKey() -> WizardAction? {
        var wide: wint_t = 0
        let rc = wget_wch(window, &wide)
        if rc == sd_err() { return nil }
        let code = Int32(bitPattern: wide)
        if rc == sd_key_code_yes() {
            switch code {
            case sd_key_resize():
                invalidate()
                let (rows, columns) = size
                return .resized(rows: rows, columns: columns)
            case sd_key_up(): return .key(.up)
            case sd_key_down(): return .key(.down)
            case sd_key_left(): return .key(.left)
            case sd_key_right(): return .key(.right)
            case sd_key_enter(): return .key(.enter)
            case sd_key_backspace(): return .key(.backspace)
            case sd_key_dc(): return .key(.delete)
            case sd_key_btab(): return .key(.backTab)
            case sd_key_npage(): return .key(.pageDown)
            case sd_key_ppage(): return .key(.pageUp)
            case sd_key_home(): return .key(.home)
            case sd_key_end(): return .key(.end)
            default: return nil
            }
        }
        switch code {
        case 3: return .key(.controlC)
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 0..<32: return nil
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }
}
