//! session::hash: the session hash binds every policy field, the account,
//! the chain and the epoch (§1.2).

#[starknet::contract]
mod TestHash {
    use array::ArrayTrait;
    use starknet::contract_address_const;
    use session_account::session::hash::{session_hash, domain_hash, DOMAIN_TYPE_HASH};
    use session_account::session::policy::{
        SessionPolicy, AllowedContract, SpendingLimit, RenewalPolicy
    };
    use session_account_tests::helpers::{sample_policy, account, token, game};

    #[storage]
    struct Storage {}

    const CHAIN: felt252 = 'SN_SEPOLIA';

    fn hash_of(policy: SessionPolicy) -> felt252 {
        session_hash(@policy, 0, account(), CHAIN)
    }

    #[external(v0)]
    fn test_hash_is_deterministic(self: @ContractState) {
        assert(hash_of(sample_policy()) == hash_of(sample_policy()), 'deterministic');
    }

    #[external(v0)]
    fn test_account_chain_and_epoch_are_bound(self: @ContractState) {
        let base = hash_of(sample_policy());
        let other_account = contract_address_const::<0xacd>();
        assert(session_hash(@sample_policy(), 0, other_account, CHAIN) != base, 'account');
        assert(session_hash(@sample_policy(), 0, account(), 'SN_MAIN') != base, 'chain');
        assert(session_hash(@sample_policy(), 1, account(), CHAIN) != base, 'epoch');
        assert(domain_hash(CHAIN) != domain_hash('SN_MAIN'), 'domain');
    }

    #[external(v0)]
    fn test_every_policy_field_is_bound(self: @ContractState) {
        let base = hash_of(sample_policy());
        let mut p = sample_policy();
        p.session_key = 0x5e56;
        assert(hash_of(p) != base, 'key');
        let mut p = sample_policy();
        p.valid_after = 1001;
        assert(hash_of(p) != base, 'valid_after');
        let mut p = sample_policy();
        p.valid_until = 5001;
        assert(hash_of(p) != base, 'valid_until');
        let mut p = sample_policy();
        p.renewal = RenewalPolicy { grace_period: 601, max_valid_until: 20000 };
        assert(hash_of(p) != base, 'grace');
        let mut p = sample_policy();
        p.renewal = RenewalPolicy { grace_period: 600, max_valid_until: 20001 };
        assert(hash_of(p) != base, 'max_valid_until');
        let mut p = sample_policy();
        p.max_calls_per_tx = 4;
        assert(hash_of(p) != base, 'max_calls_per_tx');
        let mut p = sample_policy();
        p.max_calls = 11;
        assert(hash_of(p) != base, 'max_calls');
        let mut p = sample_policy();
        p.max_fee_per_tx = 1000001;
        assert(hash_of(p) != base, 'max_fee');
        let mut p = sample_policy();
        p.spending_limits = array![SpendingLimit { token: token(), limit: 101 }];
        assert(hash_of(p) != base, 'limit amount');
        let mut p = sample_policy();
        p.spending_limits = array![SpendingLimit { token: token(), limit: u256 { low: 100, high: 1 } }];
        assert(hash_of(p) != base, 'limit high word');
        let mut p = sample_policy();
        p.spending_limits = array![];
        assert(hash_of(p) != base, 'no limits');
        let mut p = sample_policy();
        p.allowed_calls.append(AllowedContract { contract: contract_address_const::<0x1>(), entrypoints: array![] });
        assert(hash_of(p) != base, 'extra contract');
        let mut p = sample_policy();
        p.allowed_calls = array![
            AllowedContract { contract: token(), entrypoints: array![] },
            AllowedContract { contract: game(), entrypoints: array!['play'] },
            AllowedContract { contract: contract_address_const::<0xde7>(), entrypoints: array!['swap', 'quote'] }
        ];
        assert(hash_of(p) != base, 'entrypoints');
    }

    #[external(v0)]
    fn test_domain_type_hash_is_snip12_revision_1(self: @ContractState) {
        assert(
            DOMAIN_TYPE_HASH == 0x1ff2f602e42168014d405a94f75e8a93d640751d71d16311266e140d8b0a210,
            'StarknetDomain type hash'
        );
    }
}
