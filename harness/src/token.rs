//! ERC-20 calls and amounts.

use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, FunctionCall};
use starknet_rust::providers::{Provider, ProviderError};

use crate::contract::selectors;

/// `transfer(recipient, amount: u256)`.
pub fn transfer_call(token: Felt, recipient: Felt, amount: u128) -> Call {
    Call {
        to: token,
        selector: selectors::TRANSFER,
        calldata: vec![recipient, Felt::from(amount), Felt::ZERO],
    }
}

/// `balance_of(account) -> u256`, read at the latest block.
pub async fn balance_of<P: Provider>(provider: &P, token: Felt, account: Felt) -> Result<u128, BalanceError> {
    let result = provider
        .call(
            FunctionCall { contract_address: token, entry_point_selector: selectors::BALANCE_OF, calldata: vec![account] },
            BlockId::Tag(BlockTag::PreConfirmed),
        )
        .await?;
    match result.as_slice() {
        [low, high] if *high == Felt::ZERO => {
            u128::try_from(*low).map_err(|_| BalanceError::Malformed(result.clone()))
        }
        [_, _] => Err(BalanceError::TooLarge),
        _ => Err(BalanceError::Malformed(result)),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BalanceError {
    #[error(transparent)]
    Provider(#[from] ProviderError),
    #[error("balance does not fit in 128 bits")]
    TooLarge,
    #[error("balance_of returned {0:?}, not a u256")]
    Malformed(Vec<Felt>),
}

/// Formats `amount` base units of an 18-decimals token, e.g. `1.5`.
pub fn format_amount(amount: u128, decimals: u32) -> String {
    let unit = 10u128.pow(decimals);
    let whole = amount / unit;
    let fraction = amount % unit;
    if fraction == 0 {
        return format!("{whole}.0");
    }
    let digits = format!("{fraction:0width$}", width = decimals as usize);
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_amounts() {
        assert_eq!(format_amount(0, 18), "0.0");
        assert_eq!(format_amount(1_500_000_000_000_000_000, 18), "1.5");
        assert_eq!(format_amount(1, 18), "0.000000000000000001");
        assert_eq!(format_amount(45_000_000_000_000_000_000, 18), "45.0");
    }

    #[test]
    fn transfer_calldata_is_recipient_and_u256() {
        let call = transfer_call(Felt::ONE, Felt::TWO, 7);
        assert_eq!(call.calldata, vec![Felt::TWO, Felt::from(7u8), Felt::ZERO]);
    }
}
