import CNcurses
import CSupport
import Foundation

/// The only code that calls curses. Owns the screen from `newterm()`, draws
/// frames (only the cells that changed, nothing when nothing did), reads keys,
/// and restores the terminal on every way out: `shutdown()`, or the C signal
/// guard for signals (SIGHUP from a dropped SSH link included) and crashes.
/// While it runs, file descriptors 1 and 2 point at a sink (the --log file or
/// /dev/null), so nothing else can write over the screen.
@MainActor
final class Terminal {
    /// How the screen is drawn: colours or monochrome, UTF-8 or ASCII only.
    struct Capabilities: Equatable, CustomStringConvertible {
        var colors: Bool
        var unicode: Bool

        /// Colours unless NO_COLOR is set to anything non-empty (no-color.org)
        /// or the terminal has none; UTF-8 only when the locale says so.
        static func decide(hasColors: Bool, noColor: String?, localeIsUTF8: Bool) -> Capabilities {
            Capabilities(colors: hasColors && (noColor ?? "").isEmpty, unicode: localeIsUTF8)
        }

        var description: String { (colors ? "colours" : "monochrome") + ", " + (unicode ? "UTF-8" : "ASCII only") }
    }

    /// What a wait for a key brought.
    enum Input {
        case action(WizardAction)
        case nothing
        /// The terminal is gone (the SSH link or the window closed).
        case hangUp
    }

    private let screen: OpaquePointer
    private let output: UnsafeMutablePointer<FILE>
    private let terminalFD: Int32
    private let window: UnsafeMutablePointer<WINDOW>
    let capabilities: Capabilities
    /// The frame as last given, and as last drawn (after the ASCII mapping).
    private var lastGiven: Frame?
    private var lastDrawn: Frame?
    private var cursorShown: Bool?
    private var closed = false
    private var quickErrors = 0
    private var waitMs: Int32 = 100
    /// Cells written since start: for the log and the tests of the diffing.
    private(set) var cellsWritten = 0
    private(set) var framesDrawn = 0

    /// - Parameter strayOutput: where writes to stdout and stderr go while
    ///   curses owns the screen (-1: /dev/null).
    init(strayOutput: Int32 = -1) throws {
        setlocale(LC_ALL, "")
        let unicode = sd_locale_is_utf8() != 0
        guard isatty(STDOUT_FILENO) == 1 else { throw TerminalError.notATerminal }
        let null = strayOutput >= 0 ? -1 : open("/dev/null", O_WRONLY | O_CLOEXEC)
        defer { if null >= 0 { close(null) } }
        let tty = sd_isolate_output(strayOutput >= 0 ? strayOutput : null)
        guard tty >= 0 else { throw TerminalError.notATerminal }
        // Save the terminal before curses changes it, so a signal can put it back.
        guard sd_install_terminal_guard(tty, "", 0) == 0 else {
            sd_restore_output()
            close(tty)
            throw TerminalError.notATerminal
        }
        guard let output = fdopen(tty, "w") else {
            sd_restore_terminal()
            sd_remove_terminal_guard()
            close(tty)
            throw TerminalError.notATerminal
        }
        guard let screen = sd_newterm(output), let window = sd_stdscr() else {
            sd_restore_terminal()
            sd_remove_terminal_guard()
            fclose(output)
            throw TerminalError.notATerminal
        }
        self.screen = screen
        self.output = output
        self.window = window
        terminalFD = tty
        raw()  // Ctrl-C arrives as a key and takes the normal way out.
        noecho()
        keypad(window, true)
        // Home and End as terminals other than the one TERM names send them
        // (tmux and screen: ESC [1~ and ESC [4~; rxvt: ESC [7~ and ESC [8~; xterm
        // in either cursor mode): unknown to TERM's entry, they would arrive as
        // Esc (back) followed by stray keys.
        for (sequence, key) in [("\u{1b}[1~", sd_key_home()), ("\u{1b}[4~", sd_key_end()), ("\u{1b}[7~", sd_key_home()),
                                ("\u{1b}[8~", sd_key_end()), ("\u{1b}[H", sd_key_home()), ("\u{1b}[F", sd_key_end()),
                                ("\u{1b}OH", sd_key_home()), ("\u{1b}OF", sd_key_end())] {
            _ = define_key(sequence, key)
        }
        set_escdelay(25)
        wtimeout(window, waitMs)
        capabilities = .decide(hasColors: has_colors(), noColor: ProcessInfo.processInfo.environment["NO_COLOR"], localeIsUTF8: unicode)
        if capabilities.colors {
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

    /// Puts the terminal back as it was, and stdout and stderr with it. Safe to call more than once.
    func shutdown() {
        guard !closed else { return }
        closed = true
        endwin()
        sd_flush_stray_output()
        sd_restore_terminal()
        sd_remove_terminal_guard()
        delscreen(screen)
        fclose(output)
    }

    /// Draws a frame: nothing at all when it equals the last one, else only
    /// the cells that differ (curses then sends only what the terminal lacks).
    func draw(_ frame: Frame) {
        if frame == lastGiven { return }
        lastGiven = frame
        let shown = frame.forTerminal(ascii: !capabilities.unicode)
        if lastDrawn == nil || lastDrawn?.rows != shown.rows || lastDrawn?.columns != shown.columns {
            werase(window)
            lastDrawn = nil
        }
        let runs = FrameDiff.runs(from: lastDrawn, to: shown)
        lastDrawn = shown
        for run in runs {
            var column = Int32(run.column)
            wmove(window, Int32(run.row), column)
            for span in run.spans {
                let attr = attr_t(attribute(span.style))
                wattr_on(window, attr, nil)
                mvwaddstr(window, Int32(run.row), column, span.text)
                wattr_off(window, attr, nil)
                column += Int32(span.text.count)
            }
            if run.clearToEnd { wclrtoeol(window) }
            cellsWritten += run.cellCount
        }
        if let cursor = frame.cursor {
            if cursorShown != true { curs_set(1); cursorShown = true }
            wmove(window, Int32(cursor.row), Int32(cursor.column))
        } else if cursorShown != false {
            curs_set(0)
            cursorShown = false
        }
        framesDrawn += 1
        wrefresh(window)
    }

    /// Forces the next `draw` to repaint everything (after a resize).
    func invalidate() {
        lastGiven = nil
        lastDrawn = nil
        clearok(window, true)
    }

    private func attribute(_ style: Style) -> Int32 {
        let colors = capabilities.colors
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

    /// How long `readKey` waits for a key.
    func setWait(milliseconds: Int32) {
        guard milliseconds != waitMs else { return }
        waitMs = milliseconds
        wtimeout(window, milliseconds)
    }

    /// Waits up to the set time (100 ms) for a key, or less when `wake`
    /// becomes readable first (a probe finished: `.nothing`, so the caller
    /// takes its result at once).
    func readKey(wakingOn wake: Int32 = -1) -> Input {
        var wide: wint_t = 0
        let started = ContinuousClock.now
        var rc: Int32 = sd_err()
        if wake >= 0 {
            var waitForRest: Int32 = 25
            var fds = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: wake, events: Int16(POLLIN), revents: 0)]
            _ = poll(&fds, 2, 0)
            var fromTerminal = fds[0].revents != 0
            if !fromTerminal {
                // Nothing new from the terminal, but curses may hold keys it
                // already read (the rest of an escape sequence that matched no
                // key) or a resize: those come first, without waiting. (Nothing
                // is read from the terminal here, so no character is cut.)
                wtimeout(window, 0)
                rc = wget_wch(window, &wide)
                wtimeout(window, waitMs)
                if rc == sd_err() {
                    if fds[1].revents != 0 { return .nothing }
                    fds[0].revents = 0
                    let ready = poll(&fds, 2, waitMs)
                    if ready == 0 {
                        quickErrors = 0
                        return .nothing
                    }
                    if ready > 0, fds[0].revents == 0 { return .nothing }
                    // Bytes or a hang-up; or a signal (a resize among them), which curses takes without waiting.
                    if ready < 0 { waitForRest = 0 }
                    fromTerminal = true
                }
            }
            if fromTerminal {
                // Waits a little for the rest of a character split across packets
                // (curses drops a partial UTF-8 sequence when it gives up).
                wtimeout(window, waitForRest)
                rc = wget_wch(window, &wide)
                wtimeout(window, waitMs)
            }
        } else {
            rc = wget_wch(window, &wide)
        }
        if rc == sd_err() {
            // A hung-up terminal answers at once, every time: tell that from
            // a plain timeout (or a signal) and check the terminal is still there.
            if started.duration(to: .now) < .milliseconds(Int(waitMs) / 4) {
                quickErrors += 1
                if quickErrors >= 5 {
                    quickErrors = 0
                    var state = termios()
                    if tcgetattr(terminalFD, &state) != 0 || tcgetattr(STDIN_FILENO, &state) != 0 { return .hangUp }
                }
            } else {
                quickErrors = 0
            }
            return .nothing
        }
        quickErrors = 0
        let code = Int32(bitPattern: wide)
        if rc == sd_key_code_yes() {
            switch code {
            case sd_key_resize():
                invalidate()
                let (rows, columns) = size
                return .action(.resized(rows: rows, columns: columns))
            case sd_key_up(): return .action(.key(.up))
            case sd_key_down(): return .action(.key(.down))
            case sd_key_left(): return .action(.key(.left))
            case sd_key_right(): return .action(.key(.right))
            case sd_key_enter(): return .action(.key(.enter))
            case sd_key_backspace(): return .action(.key(.backspace))
            case sd_key_dc(): return .action(.key(.delete))
            case sd_key_btab(): return .action(.key(.backTab))
            case sd_key_npage(): return .action(.key(.pageDown))
            case sd_key_ppage(): return .action(.key(.pageUp))
            case sd_key_home(): return .action(.key(.home))
            case sd_key_end(): return .action(.key(.end))
            default: return .nothing
            }
        }
        switch code {
        case 3: return .action(.key(.controlC))
        case 9: return .action(.key(.tab))
        case 10, 13: return .action(.key(.enter))
        case 27: return .action(.key(.escape))
        case 8, 127: return .action(.key(.backspace))
        case 0..<32: return .nothing
        default:
            guard let scalar = Unicode.Scalar(UInt32(code)) else { return .nothing }
            return .action(.key(.char(Character(scalar))))
        }
    }
}
