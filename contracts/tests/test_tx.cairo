//! tx: versions, fee bounds and the fee cap (§4.5, §7.1).

#[starknet::contract]
mod TestTx {
    use array::ArrayTrait;
    use traits::Into;
    use starknet::account::Call;
    use session_account::errors;
    use session_account::tx::{
        is_supported_version, unpack_bound, max_fee, check_fee_cap, serialize_calls, FeeFields,
        L1_GAS, L2_GAS, L1_DATA
    };
    use session_account_tests::helpers::{assert_ok, assert_err, assert_felts_eq, token};

    #[storage]
    struct Storage {}

    /// A packed resource bound: name << 192 | amount << 128 | price.
    fn bound(name: u128, amount: u128, price: u128) -> felt252 {
        let shift_64: felt252 = 0x10000000000000000;
        let shift_128: felt252 = 0x100000000000000000000000000000000;
        (name.into() * shift_64 + amount.into()) * shift_128 + price.into()
    }

    fn fee(tip: felt252, l1: (u128, u128), l2: (u128, u128), data: (u128, u128)) -> FeeFields {
        let (l1_amount, l1_price) = l1;
        let (l2_amount, l2_price) = l2;
        let (data_amount, data_price) = data;
        FeeFields {
            tip,
            l1_gas: bound(L1_GAS, l1_amount, l1_price),
            l2_gas: bound(L2_GAS, l2_amount, l2_price),
            l1_data_gas: bound(L1_DATA, data_amount, data_price),
        }
    }

    #[external(v0)]
    fn test_only_v3_and_its_query_form_are_supported(self: @ContractState) {
        assert(is_supported_version(3), 'v3');
        assert(is_supported_version(0x100000000000000000000000000000003), 'v3 query');
        assert(!is_supported_version(1), 'v1');
        assert(!is_supported_version(0x100000000000000000000000000000001), 'v1 query');
        assert(!is_supported_version(0), 'v0');
    }

    #[external(v0)]
    fn test_bounds_unpack_by_resource_name(self: @ContractState) {
        let (amount, price) = assert_ok(unpack_bound(bound(L2_GAS, 7, 9), L2_GAS), 'unpacks');
        assert(amount == 7 && price == 9, 'fields');
        assert_err(
            unpack_bound(bound(L1_GAS, 7, 9), L2_GAS), errors::SESSION_FEE_BOUNDS_MISMATCH, 'name'
        );
    }

    #[external(v0)]
    fn test_max_fee_sums_resources_and_tip(self: @ContractState) {
        // 2*3 + 5*7 + 11*13 + tip 4 * l2 amount 5 = 6 + 35 + 143 + 20
        let most = assert_ok(max_fee(fee(4, (2, 3), (5, 7), (11, 13))), 'max fee');
        assert(most == 204, 'sum');
        assert(assert_ok(max_fee(fee(0, (0, 0), (0, 0), (0, 0))), 'zero') == 0, 'estimation');
    }

    #[external(v0)]
    fn test_max_fee_does_not_overflow_on_huge_bounds(self: @ContractState) {
        let max64: u128 = 0xffffffffffffffff;
        let max128: u128 = 0xffffffffffffffffffffffffffffffff;
        let most = assert_ok(
            max_fee(fee(max128.into(), (max64, max128), (max64, max128), (max64, max128))), 'huge'
        );
        assert(most > max128.into(), 'no wrap');
    }

    #[external(v0)]
    fn test_fee_cap_boundary(self: @ContractState) {
        let f = fee(0, (0, 0), (10, 10), (1, 4)); // 104
        assert_ok(check_fee_cap(f, 104), 'at cap');
        assert_err(check_fee_cap(f, 103), errors::SESSION_FEE_ABOVE_CAP, 'above cap');
    }

    #[external(v0)]
    fn test_tip_counts_against_the_cap(self: @ContractState) {
        let f = fee(1, (0, 0), (10, 10), (0, 0)); // 100 + 1*10
        assert_err(check_fee_cap(f, 109), errors::SESSION_FEE_ABOVE_CAP, 'tip');
    }

    #[external(v0)]
    fn test_calls_serialize_as_execute_calldata(self: @ContractState) {
        let calls = array![
            Call { to: token(), selector: 's1', calldata: array![1, 2] },
            Call { to: token(), selector: 's2', calldata: array![] }
        ];
        let data = serialize_calls(calls.span());
        let expected = array![2, 0x7070, 's1', 2, 1, 2, 0x7070, 's2', 0];
        assert_felts_eq(data.span(), expected.span(), 'layout');
    }
}
