//! How much a call moves of a limited token (docs/spec.md §4.4), as the
//! account meters it. The session client uses it to explain a refusal, and
//! the reference model to predict one; the contract's own version is
//! `contracts/src/policy/spending.cairo`.

use starknet_rust::core::types::{Call, Felt, U256};

use crate::contract::{selectors, ContractError};

/// How a metered call moves a limited token (§4.4), which decides what the
/// account's settlement after the calls adds to the balance it watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Movement {
    /// `transfer`, or `transfer_from` of the account's own tokens: leaves
    /// the account's balance.
    Out,
    /// `approve` or `increase_allowance` for this spender: it may move the
    /// account's tokens later, outside any session transaction.
    Allowance(Felt),
    /// `transfer_from` of someone else's tokens.
    ThirdParty,
}

/// The metered amount of one call to a limited token from `account`, and
/// how it moves the token (§4.4 table).
pub fn meter(call: &Call, account: Felt) -> Result<(U256, Movement), ContractError> {
    let amount = metered_amount(call)?;
    let s = call.selector;
    let movement = if s == selectors::TRANSFER {
        Movement::Out
    } else if s == selectors::TRANSFER_FROM || s == selectors::TRANSFER_FROM_CAMEL {
        if call.calldata[0] == account {
            Movement::Out
        } else {
            Movement::ThirdParty
        }
    } else {
        Movement::Allowance(call.calldata[0])
    };
    Ok((amount, movement))
}

/// Whether a call with `selector` grants an allowance (`approve`, either
/// spelling of `increase_allowance`): the account records its spender,
/// the first calldata word, on any contract (§4.10).
pub fn is_approval(selector: Felt) -> bool {
    [selectors::APPROVE, selectors::INCREASE_ALLOWANCE, selectors::INCREASE_ALLOWANCE_CAMEL]
        .contains(&selector)
}

/// The metered amount of one call to a limited token (§4.4 table):
/// `transfer`, `approve` and both spellings of `increase_allowance` count
/// their amount; both spellings of `transfer_from` count theirs whoever the
/// sender is. Calldata of another length, or an amount word that is not a
/// `u128`, is [`ContractError::SessionMalformedCalldata`]; any other
/// selector is [`ContractError::SessionUnmeteredSelector`].
pub fn metered_amount(call: &Call) -> Result<U256, ContractError> {
    let s = call.selector;
    let amount_at = |index: usize, len: usize| -> Result<U256, ContractError> {
        if call.calldata.len() != len {
            return Err(ContractError::SessionMalformedCalldata);
        }
        let word = |f: Felt| u128::try_from(f).map_err(|_| ContractError::SessionMalformedCalldata);
        Ok(U256::from_words(word(call.calldata[index])?, word(call.calldata[index + 1])?))
    };
    if [
        selectors::TRANSFER,
        selectors::APPROVE,
        selectors::INCREASE_ALLOWANCE,
        selectors::INCREASE_ALLOWANCE_CAMEL,
    ]
    .contains(&s)
    {
        // (recipient | spender, amount.low, amount.high)
        return amount_at(1, 3);
    }
    if s == selectors::TRANSFER_FROM || s == selectors::TRANSFER_FROM_CAMEL {
        // (sender, recipient, amount.low, amount.high)
        return amount_at(2, 4);
    }
    Err(ContractError::SessionUnmeteredSelector)
}

/// What `calls` ask to move of each token in `tokens`, summed per token in
/// first-use order (a sum past 2^256 saturates: it exceeds any limit).
/// Calls to other tokens, and calls that cannot be metered, count nothing
/// here; the account refuses the latter anyway.
pub fn requested_per_token(calls: &[Call], tokens: &[Felt]) -> Vec<(Felt, U256)> {
    let mut out: Vec<(Felt, U256)> = Vec::new();
    for call in calls.iter().filter(|c| tokens.contains(&c.to)) {
        let Ok(value) = metered_amount(call) else { continue };
        match out.iter_mut().find(|(t, _)| *t == call.to) {
            Some((_, total)) => {
                *total = crate::token::checked_add_u256(*total, value).unwrap_or_else(u256_max)
            }
            None => out.push((call.to, value)),
        }
    }
    out
}

fn u256_max() -> U256 {
    U256::from_words(u128::MAX, u128::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(selector: Felt, calldata: &[u128]) -> Call {
        Call {
            to: Felt::from(0x7070u16),
            selector,
            calldata: calldata.iter().map(|w| Felt::from(*w)).collect(),
        }
    }

    #[test]
    fn meters_every_selector_of_the_table() {
        for s in [
            selectors::TRANSFER,
            selectors::APPROVE,
            selectors::INCREASE_ALLOWANCE,
            selectors::INCREASE_ALLOWANCE_CAMEL,
        ] {
            assert_eq!(metered_amount(&call(s, &[9, 5, 1])), Ok(U256::from_words(5, 1)));
            assert_eq!(
                metered_amount(&call(s, &[9, 5])),
                Err(ContractError::SessionMalformedCalldata)
            );
        }
        for s in [selectors::TRANSFER_FROM, selectors::TRANSFER_FROM_CAMEL] {
            // Anyone's tokens, in full.
            assert_eq!(metered_amount(&call(s, &[0x3d, 9, 5, 0])), Ok(U256::from(5u8)));
            assert_eq!(
                metered_amount(&call(s, &[9, 5, 0])),
                Err(ContractError::SessionMalformedCalldata)
            );
        }
        assert_eq!(
            metered_amount(&call(selectors::BALANCE_OF, &[9])),
            Err(ContractError::SessionUnmeteredSelector)
        );
        let mut not_u128 = call(selectors::TRANSFER, &[9, 0, 0]);
        not_u128.calldata[1] = Felt::from(u128::MAX) + Felt::ONE;
        assert_eq!(metered_amount(&not_u128), Err(ContractError::SessionMalformedCalldata));
    }

    #[test]
    fn tells_how_each_call_moves_the_token() {
        let me = Felt::from(0xaccu16);
        let spender = Felt::from(9u8);
        let movement = |s: Felt, data: &[u128]| meter(&call(s, data), me).map(|(_, m)| m);
        assert_eq!(movement(selectors::TRANSFER, &[9, 5, 0]), Ok(Movement::Out));
        for s in
            [selectors::APPROVE, selectors::INCREASE_ALLOWANCE, selectors::INCREASE_ALLOWANCE_CAMEL]
        {
            assert_eq!(movement(s, &[9, 5, 0]), Ok(Movement::Allowance(spender)));
        }
        for s in [selectors::TRANSFER_FROM, selectors::TRANSFER_FROM_CAMEL] {
            assert_eq!(movement(s, &[0xacc, 9, 5, 0]), Ok(Movement::Out));
            assert_eq!(movement(s, &[0x3d, 9, 5, 0]), Ok(Movement::ThirdParty));
        }
        assert_eq!(
            movement(selectors::BALANCE_OF, &[9]),
            Err(ContractError::SessionUnmeteredSelector)
        );
    }

    #[test]
    fn sums_per_token_and_saturates() {
        let token = Felt::from(0x7070u16);
        let calls = [call(selectors::TRANSFER, &[1, 2, 0]), call(selectors::APPROVE, &[1, 3, 0])];
        assert_eq!(requested_per_token(&calls, &[token]), vec![(token, U256::from(5u8))]);
        assert!(requested_per_token(&calls, &[Felt::ONE]).is_empty());
        let huge = [
            call(selectors::TRANSFER, &[1, u128::MAX, u128::MAX]),
            call(selectors::TRANSFER, &[1, 1, 0]),
        ];
        assert_eq!(requested_per_token(&huge, &[token]), vec![(token, u256_max())]);
    }
}
