//! How the chain sends each operation: as the owner, a session (a
//! transaction at the nonce the model expects, or one built field by
//! field), a relayer (outside executions, relayed without a simulation) or
//! the third party; and how an outcome becomes a verdict.

use session_account::account::encoding::encode_calls;
use session_account::account::owner::{calls, owner_account};
use session_account::account::AccountAt;
use session_account::account::{KeyedOwnerAccount, SessionAccount};
use session_account::contract::selectors;
use session_account::invoke::InvokeV3;
use session_account::outside::{OutsideExecution, Relayer};
use session_account::policy::Binding;
use session_account::signature::Authorization;
use session_account::signers::OwnerSigner;
use session_account::tx::{
    execute_at_nonce, execute_with_bounds, from_provider_error, wait_for_receipt, Confirmed,
    FeeBounds, TxError, DEFAULT_RECEIPT_TIMEOUT,
};
use starknet_rust::core::types::{Call, Felt};
use starknet_rust::signers::{LocalWallet, SigningKey};

use super::super::reference::{SentOutside, SentTransaction};
use super::super::sends::{approve_router, op_calls, session_bounds, session_op};
use super::super::{
    hooked_token_address, owner_key, router_address, session_key, token_address, Grant, HookSigner,
    Op, Reference, SessionSignature, TxField, CHAIN_ID, HEAVY, THIRD_PARTY, THIRD_PARTY_INDEX,
};
use super::queries::Impostor;
use super::Chain;
use crate::devnet::sandbox::Rpc;
use crate::model::{Caller, Path, SignedAuthorization, Verdict};

impl Chain {
    /// The verdict of an outcome. Failures that carry no account error are
    /// only accepted as what the model means by them: the node refusing a
    /// spent nonce, and the test token or router panicking; anything else
    /// is an infrastructure failure, not a verdict.
    pub(super) fn verdict(outcome: Result<Confirmed, TxError>) -> Verdict {
        match outcome {
            Ok(_) => Verdict::Accepted,
            Err(TxError::Rejected { error: Some(e), .. }) => Verdict::Rejected(Some(e)),
            Err(TxError::Reverted { error: Some(e), .. }) => Verdict::Reverted(Some(e)),
            Err(TxError::Rejected { error: None, message })
                if Self::spent_nonce(&message) || Self::token_failure(&message) =>
            {
                Verdict::Rejected(None)
            }
            Err(TxError::Reverted { error: None, reason, .. }) if Self::token_failure(&reason) => {
                Verdict::Reverted(None)
            }
            Err(e) => panic!("infrastructure failure, not a verdict: {e}"),
        }
    }

    /// The node refused a transaction whose nonce is spent: as an invalid
    /// nonce, or, when it is byte for byte one it has seen, as a duplicate.
    fn spent_nonce(message: &str) -> bool {
        let message = message.to_ascii_lowercase();
        message.contains("invalid nonce") || message.contains("duplicatetx")
    }

    /// The failure passed through the test token or router (an address,
    /// in any padding, names a frame of the node's text).
    fn token_failure(message: &str) -> bool {
        let message = message.to_ascii_lowercase();
        [token_address(), router_address()].iter().any(|c| message.contains(&format!("{c:x}")))
    }

    pub(super) fn owner(
        &self,
        key_id: u64,
    ) -> KeyedOwnerAccount<Rpc, super::super::owners::FuzzOwner> {
        let provider = self.sandbox.devnet.provider();
        KeyedOwnerAccount::new(
            provider,
            owner_key(key_id),
            AccountAt { address: self.account(), chain_id: CHAIN_ID },
        )
    }

    /// The authorization as the owner key that the model says signed it
    /// signed it, carrying the (possibly tampered) policy.
    fn sign_authorization(
        &self,
        before: &Reference,
        signed: &SignedAuthorization,
    ) -> Authorization {
        let signer = owner_key(before.owner_number(signed.signer));
        let binding = Binding {
            account: signed.account,
            chain_id: signed.chain_id,
            epoch: signed.epoch,
            owner_rotations: signed.owner_rotations,
        };
        let mut authorization =
            Authorization::sign_by(signed.signed_policy.clone(), &signer, &binding)
                .expect("owner signs");
        authorization.policy = signed.policy.clone();
        authorization
    }

    /// A session transaction at the nonce the model expects (no nonce
    /// query, no fee estimation).
    async fn send_direct(
        &self,
        before: &Reference,
        slot: usize,
        signing: SessionSignature,
        calls: Vec<Call>,
        bounds: FeeBounds,
    ) -> Verdict {
        let provider = self.sandbox.devnet.provider();
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let nonce = Felt::from(before.nonce);
        let outcome = match signing {
            SessionSignature::OwnerLayout => {
                let account = owner_account(
                    provider,
                    key,
                    AccountAt { address: self.account(), chain_id: CHAIN_ID },
                );
                execute_at_nonce(&account, calls, bounds, nonce).await
            }
            SessionSignature::TrailingFelt => {
                let tx = InvokeV3::new(self.account(), encode_calls(&calls), nonce, bounds);
                let mut signature = self.session_signature(before, slot, &tx);
                signature.push(Felt::ONE);
                self.broadcast(tx, signature).await
            }
            SessionSignature::Valid | SessionSignature::Forged => {
                let signer = if signing == SessionSignature::Forged {
                    SigningKey::from_secret_scalar(Felt::from(0xbad_u64))
                } else {
                    key
                };
                let mut account = SessionAccount::new(
                    provider,
                    LocalWallet::from_signing_key(signer),
                    public_key,
                    AccountAt { address: self.account(), chain_id: CHAIN_ID },
                );
                if let Some(signed) = before.pending[slot].as_ref() {
                    account = account.with_authorization(self.sign_authorization(before, signed));
                }
                execute_at_nonce(&account, calls, bounds, nonce).await
            }
        };
        self.paid(Some(public_key), &outcome);
        Self::verdict(outcome)
    }

    /// A session transaction built field by field, with `field` set to
    /// what the account does not support (§4.5); signed over its real hash.
    async fn send_unsupported(
        &self,
        before: &Reference,
        slot: usize,
        field: TxField,
        calls: Vec<Call>,
    ) -> Verdict {
        use starknet_rust::core::types::DataAvailabilityMode;
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let bounds = session_bounds(before, &Op::UnsupportedTxField { slot, field }, slot);
        let mut tx =
            InvokeV3::new(self.account(), encode_calls(&calls), Felt::from(before.nonce), bounds);
        match field {
            TxField::PaymasterData => tx.paymaster_data = vec![Felt::ONE],
            TxField::AccountDeploymentData => {
                tx.account_deployment_data = vec![Felt::ONE, Felt::TWO]
            }
            TxField::NonceDataAvailability => {
                tx.nonce_data_availability_mode = DataAvailabilityMode::L2
            }
            TxField::FeeDataAvailability => {
                tx.fee_data_availability_mode = DataAvailabilityMode::L2
            }
        }
        let signature = self.session_signature(before, slot, &tx);
        let outcome = self.broadcast(tx, signature).await;
        self.paid(Some(public_key), &outcome);
        Self::verdict(outcome)
    }

    /// Slot's session signature of `tx`, carrying its pending
    /// authorization if it has one.
    fn session_signature(&self, before: &Reference, slot: usize, tx: &InvokeV3) -> Vec<Felt> {
        let key = session_key(slot);
        let signed = key.sign(&tx.hash(CHAIN_ID, false)).expect("signs");
        let authorization =
            before.pending[slot].as_ref().map(|a| self.sign_authorization(before, a));
        session_account::signature::session_signature(
            key.verifying_key().scalar(),
            &signed,
            authorization.as_ref(),
        )
    }

    /// Sends `tx` with `signature` as it is, and waits for the outcome.
    async fn broadcast(&self, tx: InvokeV3, signature: Vec<Felt>) -> Result<Confirmed, TxError> {
        use starknet_rust::core::types::BroadcastedInvokeTransaction;
        use starknet_rust::providers::Provider;
        let broadcast = BroadcastedInvokeTransaction {
            broadcasted_invoke_txn_v3: tx.broadcast(signature),
            proof: None,
        };
        let sent = self.sandbox.provider.add_invoke_transaction(&broadcast).await;
        self.confirm(sent.map(|sent| sent.transaction_hash)).await
    }

    /// The outcome of a transaction the node was just sent (its hash), or
    /// why the node refused it.
    pub(super) async fn confirm(
        &self,
        sent: Result<Felt, starknet_rust::providers::ProviderError>,
    ) -> Result<Confirmed, TxError> {
        match sent {
            Ok(hash) => {
                wait_for_receipt(&self.sandbox.provider, hash, DEFAULT_RECEIPT_TIMEOUT).await
            }
            Err(error) => Err(from_provider_error(error)),
        }
    }

    /// The owner's revoke-all, its signature tampered with (§2.3).
    async fn send_tampered_owner(
        &self,
        before: &Reference,
        tamper: super::super::Tamper,
    ) -> Verdict {
        let call = calls::revoke_all_sessions(self.account());
        let calldata = session_account::account::encoding::encode_calls(&[call]);
        let tx = InvokeV3::new(self.account(), calldata, Felt::from(before.nonce), HEAVY);
        let signature = tamper.sign(before.owner_key_id(), tx.hash(CHAIN_ID, false));
        let outcome = self.broadcast(tx, signature).await;
        self.paid(None, &outcome);
        Self::verdict(outcome)
    }

    /// An outside execution, relayed without a simulation first: a refusal
    /// reverts the relayer's transaction.
    async fn send_outside(&self, before: &Reference, sent: &SentOutside) -> Verdict {
        let (account, relayer) = (self.account(), &self.relayer);
        let caller = match sent.terms.caller {
            Caller::Named => relayer.address(),
            Caller::Anyone => session_account::outside::ANY_CALLER,
            Caller::Other => THIRD_PARTY,
        };
        let execution = OutsideExecution {
            caller,
            nonce: sent.terms.nonce,
            execute_after: sent.terms.execute_after,
            execute_before: sent.terms.execute_before,
            calls: sent.calls.clone(),
        };
        let key = session_key(sent.slot);
        let authorization = sent.authorization.as_ref().map(|a| self.sign_authorization(before, a));
        let authorization = authorization.as_ref();
        let signature = match sent.signing {
            SessionSignature::Valid => {
                execution.sign_as_session(&key, account, CHAIN_ID, authorization)
            }
            // The session key's signature of another execution.
            SessionSignature::Forged => {
                OutsideExecution { nonce: execution.nonce + Felt::ONE, ..execution.clone() }
                    .sign_as_session(&key, account, CHAIN_ID, authorization)
            }
            SessionSignature::OwnerLayout => execution.sign_as_owner(&key, account, CHAIN_ID),
            SessionSignature::TrailingFelt => {
                execution.sign_as_session(&key, account, CHAIN_ID, authorization).map(|mut s| {
                    s.push(Felt::ONE);
                    s
                })
            }
        }
        .expect("signs");
        Self::verdict(relayer.relay(account, &execution, signature).await)
    }

    /// Sends `op` as whoever sends it (see the module doc).
    pub(super) async fn submit(&self, before: &Reference, op: &Op) -> Verdict {
        let account = self.account();
        match op {
            Op::Grant { slot, policy: choice, how: Grant::ByTransaction } => {
                // The policy exactly as the model granted it.
                let granted =
                    super::super::policies::policy_for(account, *slot, *choice, before.now);
                self.send_as_owner(before, vec![calls::register_session(account, &granted)]).await
            }
            Op::Grant { .. }
            | Op::TimeToDeadline { .. }
            | Op::TimeForward { .. }
            | Op::TimeToWindowEnd { .. } => Verdict::Accepted,
            Op::OwnerRevoke { slot, clear } => {
                let key = Reference::key(*slot);
                let mut revoke = vec![calls::revoke_session(account, key)];
                if *clear {
                    revoke.push(calls::clear_session_allowances(account, key));
                }
                self.send_as_owner(before, revoke).await
            }
            Op::RevokeAll => {
                self.send_as_owner(before, vec![calls::revoke_all_sessions(account)]).await
            }
            Op::OwnerApproveRouter { amount } => {
                self.send_as_owner(before, vec![approve_router(*amount)]).await
            }
            Op::SpenderPulls { over } => self.send_spender_pull(before, *over).await,
            Op::StrangerCallsAdmin { .. } => {
                let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
                Self::verdict(execute_with_bounds(&third, op_calls(before, op), HEAVY).await)
            }
            Op::OwnerOutside { reuse } => self.send_owner_outside(before, op, *reuse).await,
            Op::ArmHook { signer } => self.send_arm_hook(before, op, *signer).await,
            Op::UnsupportedTxField { slot, field } => {
                self.send_unsupported(before, *slot, *field, op_calls(before, op)).await
            }
            Op::RotateOwner { back, to } => {
                let old = owner_key(before.owner_key_id()).owner_key();
                let new = owner_key(before.rotation_target(*back, *to));
                let call =
                    calls::set_owner_key(account, CHAIN_ID, &old, &new).expect("new key signs");
                self.send_as_owner(before, vec![call]).await
            }
            Op::TamperedOwner { tamper } => self.send_tampered_owner(before, *tamper).await,
            Op::UnprovenRotation { to } => {
                let old = owner_key(before.owner_key_id());
                let new = owner_key(before.rotation_target(false, *to)).owner_key();
                let impostor = Impostor { claims: new, signs: &old };
                let call = calls::set_owner_key(account, CHAIN_ID, &old.owner_key(), &impostor)
                    .expect("the old key signs");
                self.send_as_owner(before, vec![call]).await
            }
            Op::SignatureQuery { signer, owner_layout } => {
                self.query_signature(before, *signer, *owner_layout).await
            }
            Op::SessionDeclare { slot } => self.send_session_declare(before, *slot).await,
            Op::ReplayTransaction => match &before.last_transaction {
                Some(sent) => self.send_replay(sent).await,
                None => Verdict::Accepted,
            },
            Op::ReplayOutside => match &before.last_outside {
                Some(sent) => self.send_outside(before, sent).await,
                None => Verdict::Accepted,
            },
            session => self.send_session(before, session).await,
        }
    }

    /// An owner transaction of `calls` at the nonce the model expects,
    /// signed by the current owner key, with room for any kind's
    /// verification and a rotation's proof.
    async fn send_as_owner(&self, before: &Reference, calls: Vec<Call>) -> Verdict {
        let owner = self.owner(before.owner_key_id());
        let nonce = Felt::from(before.nonce);
        let outcome = execute_at_nonce(&owner, calls, HEAVY, nonce).await;
        self.paid(None, &outcome);
        Self::verdict(outcome)
    }

    /// The third party takes what the account allows it (`over`: one
    /// more), outside any session transaction.
    async fn send_spender_pull(&self, before: &Reference, over: bool) -> Verdict {
        let account = self.account();
        let amount = before.spender_pull_amount(over);
        let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
        let pull = Call {
            to: token_address(),
            selector: selectors::TRANSFER_FROM,
            calldata: vec![
                account,
                THIRD_PARTY,
                Felt::from(amount.low()),
                Felt::from(amount.high()),
            ],
        };
        Self::verdict(execute_with_bounds(&third, vec![pull], FeeBounds::DEVNET).await)
    }

    /// The owner's outside execution `op`, relayed: at the last session
    /// outside execution's nonce when `reuse` (§11).
    async fn send_owner_outside(&self, before: &Reference, op: &Op, reuse: bool) -> Verdict {
        let account = self.account();
        let terms = before.outside_terms();
        let execution = OutsideExecution {
            caller: self.relayer.address(),
            nonce: before.owner_outside_nonce(reuse),
            execute_after: terms.execute_after,
            execute_before: terms.execute_before,
            calls: op_calls(before, op),
        };
        let owner = owner_key(before.owner_key_id());
        let signature = execution.sign_by_owner(&owner, account, CHAIN_ID).expect("signs");
        Self::verdict(self.relayer.relay(account, &execution, signature).await)
    }

    /// The third party arms the hooked token with the outside execution
    /// `op` signed by `signer`, callable by anyone.
    async fn send_arm_hook(&self, before: &Reference, op: &Op, signer: HookSigner) -> Verdict {
        let account = self.account();
        let terms = before.hook_terms();
        let execution = OutsideExecution {
            caller: session_account::outside::ANY_CALLER,
            nonce: terms.nonce,
            execute_after: terms.execute_after,
            execute_before: terms.execute_before,
            calls: op_calls(before, op),
        };
        let signature = match signer {
            HookSigner::Session(slot) => {
                execution.sign_as_session(&session_key(slot), account, CHAIN_ID, None)
            }
            HookSigner::Owner => {
                execution.sign_by_owner(&owner_key(before.owner_key_id()), account, CHAIN_ID)
            }
        }
        .expect("signs");
        let nested = execution.to_call(account, signature);
        let mut calldata = vec![nested.to, nested.selector];
        calldata.push(Felt::from(nested.calldata.len()));
        calldata.extend(nested.calldata);
        let arm = Call { to: hooked_token_address(), selector: super::super::ARM, calldata };
        let third = self.sandbox.funded_account(THIRD_PARTY_INDEX);
        Self::verdict(execute_with_bounds(&third, vec![arm], FeeBounds::DEVNET).await)
    }

    /// The last included session transaction, sent again at its nonce.
    async fn send_replay(&self, sent: &SentTransaction) -> Verdict {
        let session = self.session(sent.slot);
        let nonce = Felt::from(sent.nonce);
        let outcome =
            execute_at_nonce(&session, sent.calls.clone(), FeeBounds::DEVNET, nonce).await;
        self.paid(Some(Reference::key(sent.slot)), &outcome);
        Self::verdict(outcome)
    }

    /// A session operation: a transaction at the nonce the model expects,
    /// or an outside execution with this step's terms.
    async fn send_session(&self, before: &Reference, session: &Op) -> Verdict {
        let (slot, path, signing) = session_op(session).expect("a session op");
        let calls = op_calls(before, session);
        match path {
            Path::Direct => {
                let bounds = session_bounds(before, session, slot);
                self.send_direct(before, slot, signing, calls, bounds).await
            }
            Path::Gasless => {
                let sent = SentOutside {
                    slot,
                    calls,
                    terms: before.terms_of(session),
                    signing,
                    authorization: before.pending[slot].clone(),
                };
                self.send_outside(before, &sent).await
            }
        }
    }

    /// The current case's account, signed by slot's session key.
    fn session(&self, slot: usize) -> SessionAccount<Rpc, LocalWallet> {
        let key = session_key(slot);
        let public_key = key.verifying_key().scalar();
        let signer = LocalWallet::from_signing_key(key);
        SessionAccount::new(
            self.sandbox.devnet.provider(),
            signer,
            public_key,
            AccountAt { address: self.account(), chain_id: CHAIN_ID },
        )
    }
}
