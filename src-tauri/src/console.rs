//! The console of the command line, for the `kehoach` command on Windows.
//!
//! Release builds for Windows are GUI programs (no black console window behind the app when the
//! officer opens it from the Start menu). Started as a command from cmd or PowerShell, such a
//! program has no console: its output would vanish. It borrows the console of the shell that
//! started it, unless its output already goes somewhere (redirected to a file or a pipe).

#[cfg(windows)]
pub fn attach() {
    type Handle = *mut core::ffi::c_void;
    const STD_OUTPUT_HANDLE: u32 = -11i32 as u32;
    const ATTACH_PARENT_PROCESS: u32 = u32::MAX;
    #[link(name = "kernel32")]
    extern "system" {
        fn GetStdHandle(which: u32) -> Handle;
        fn AttachConsole(process: u32) -> i32;
    }
    // SAFETY: both are plain Win32 calls without pointers passed in; a failure (no parent
    // console, e.g. started from Explorer) leaves the process as it was.
    unsafe {
        let out = GetStdHandle(STD_OUTPUT_HANDLE);
        if out.is_null() || out as isize == -1 {
            AttachConsole(ATTACH_PARENT_PROCESS);
        }
    }
}

#[cfg(not(windows))]
pub fn attach() {}
