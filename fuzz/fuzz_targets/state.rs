//! Any bytes as `state.json`: the parser returns the state or an error, never panics; what
//! it accepts writes back to bytes that parse to the same state.
#![no_main]

use dubao::state::format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(state) = format::parse(data)
        && let Ok(bytes) = format::to_bytes(&state)
    {
        let again = format::parse(&bytes).expect("what was written parses");
        assert_eq!(format::to_bytes(&again).ok(), Some(bytes));
    }
});
