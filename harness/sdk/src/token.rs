//! ERC-20 calls and amounts.

use starknet_rust::core::types::{BlockId, BlockTag, Call, Felt, FunctionCall, U256};
use starknet_rust::providers::{Provider, ProviderError};

use crate::contract::selectors;

/// One STRK (or ETH) in its smallest unit (fri, wei): 18 decimals.
pub const STRK_UNIT: u128 = 1_000_000_000_000_000_000;

/// The STRK fee token (the same address on mainnet, Sepolia and devnet).
pub const STRK: Felt =
    Felt::from_hex_unchecked("0x04718f5a0fc34cc1af16a1cdee98ffb20c31f5cd61d6ab07201858f4287c938d");
/// The ETH token (the same address on mainnet, Sepolia and devnet).
pub const ETH: Felt =
    Felt::from_hex_unchecked("0x049d36570d4e46f48e99674bd3fcc84644ddd6b96f7c741b1562b82f9e004dc7");

/// A token's symbol when it is STRK or ETH, else its address.
pub fn symbol(token: Felt) -> String {
    if token == STRK {
        "STRK".into()
    } else if token == ETH {
        "ETH".into()
    } else {
        format!("{token:#x}")
    }
}

/// `transfer(recipient, amount: u256)`.
pub fn transfer_call(token: Felt, recipient: Felt, amount: u128) -> Call {
    Call {
        to: token,
        selector: selectors::TRANSFER,
        calldata: vec![recipient, Felt::from(amount), Felt::ZERO],
    }
}

/// `balance_of(account) -> u256`, read at the latest block.
pub async fn balance_of<P: Provider>(
    provider: &P,
    token: Felt,
    account: Felt,
) -> Result<u128, BalanceError> {
    let result = provider
        .call(
            FunctionCall {
                contract_address: token,
                entry_point_selector: selectors::BALANCE_OF,
                calldata: vec![account],
            },
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

/// A `u256` an ERC-20 view returned, exactly.
pub async fn read_u256<P: Provider>(
    provider: &P,
    token: Felt,
    selector: Felt,
    calldata: Vec<Felt>,
) -> Result<U256, BalanceError> {
    let result = provider
        .call(
            FunctionCall { contract_address: token, entry_point_selector: selector, calldata },
            BlockId::Tag(BlockTag::PreConfirmed),
        )
        .await?;
    let word = |f: &Felt| u128::try_from(*f).ok();
    match result.as_slice() {
        [low, high] => match (word(low), word(high)) {
            (Some(low), Some(high)) => Ok(U256::from_words(low, high)),
            _ => Err(BalanceError::Malformed(result.clone())),
        },
        _ => Err(BalanceError::Malformed(result)),
    }
}

/// `allowance(owner, spender) -> u256`, read at the latest block.
pub async fn allowance<P: Provider>(
    provider: &P,
    token: Felt,
    owner: Felt,
    spender: Felt,
) -> Result<U256, BalanceError> {
    read_u256(provider, token, selectors::ALLOWANCE, vec![owner, spender]).await
}

/// Why a token's balance or allowance could not be read.
#[derive(Debug, thiserror::Error)]
pub enum BalanceError {
    /// The node failed the call.
    #[error(transparent)]
    Provider(#[from] ProviderError),
    /// The balance is a `u256` above `u128::MAX` ([`balance_of`] only).
    #[error("balance does not fit in 128 bits")]
    TooLarge,
    /// The token returned these felts, which are not a `u256`.
    #[error("balance_of returned {0:?}, not a u256")]
    Malformed(Vec<Felt>),
}

/// `a + b`, or `None` when the sum does not fit in 256 bits.
pub fn checked_add_u256(a: U256, b: U256) -> Option<U256> {
    let (low, carry) = a.low().overflowing_add(b.low());
    let high = a.high().checked_add(b.high())?.checked_add(carry as u128)?;
    Some(U256::from_words(low, high))
}

/// Formats a u256 amount of an 18-decimals token (raw integer above u128).
pub fn format_u256(value: U256) -> String {
    if value.high() == 0 {
        format_amount(value.low(), 18)
    } else {
        value.to_string()
    }
}

/// Parses a decimal amount (`1.5`) into base units of a token with
/// `decimals` decimals.
pub fn parse_amount(text: &str, decimals: u32) -> Result<u128, String> {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && fraction.is_empty() {
        return Err(format!("{text:?} is not an amount"));
    }
    if fraction.len() > decimals as usize {
        return Err(format!("{text:?} has more than {decimals} decimals"));
    }
    let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
    if !digits(whole) || !digits(fraction) {
        return Err(format!("{text:?} is not a decimal amount"));
    }
    let unit = 10u128.pow(decimals);
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("{text:?} is too large"))?
    };
    let fraction: u128 =
        format!("{fraction:0<width$}", width = decimals as usize).parse().unwrap_or(0);
    whole
        .checked_mul(unit)
        .and_then(|w| w.checked_add(fraction))
        .ok_or_else(|| format!("{text:?} is too large"))
}

/// Formats `amount` base units of a token with `decimals` decimals, e.g.
/// `1.5`.
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
    fn parses_amounts() {
        assert_eq!(parse_amount("1.5", 18), Ok(1_500_000_000_000_000_000));
        assert_eq!(parse_amount("2", 18), Ok(2_000_000_000_000_000_000));
        assert_eq!(parse_amount(".000000000000000001", 18), Ok(1));
        assert!(parse_amount("1.0000000000000000001", 18).is_err());
        assert!(parse_amount("abc", 18).is_err());
        assert!(parse_amount("", 18).is_err());
        assert!(parse_amount("1e9", 18).is_err());
    }

    #[test]
    fn transfer_calldata_is_recipient_and_u256() {
        let call = transfer_call(Felt::ONE, Felt::TWO, 7);
        assert_eq!(call.calldata, vec![Felt::TWO, Felt::from(7u8), Felt::ZERO]);
    }
}
