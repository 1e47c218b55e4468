//! `__execute__` calldata: the Cairo `Serde` encoding of `Array<Call>`,
//! `[n, (to, selector, calldata_len, calldata...)...]`.

use starknet_rust::core::types::{Call, Felt};

/// `calls` as `__execute__`'s calldata.
pub fn encode_calls(calls: &[Call]) -> Vec<Felt> {
    let mut data =
        Vec::with_capacity(1 + calls.iter().map(|c| 3 + c.calldata.len()).sum::<usize>());
    data.push(Felt::from(calls.len()));
    for call in calls {
        data.push(call.to);
        data.push(call.selector);
        data.push(Felt::from(call.calldata.len()));
        data.extend_from_slice(&call.calldata);
    }
    data
}
