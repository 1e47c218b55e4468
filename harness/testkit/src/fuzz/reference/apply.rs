//! What each operation does to the model's side of a case: one method per
//! operation (or kind of operation), each returning the verdict the model
//! predicts; [`super::SessionFlows`] dispatches to them.

use super::{Reference, SentOutside, SentTransaction};
use crate::fuzz::ops::{Grant, Op};
use crate::fuzz::policies::{policy_for, PolicyChoice};
use crate::fuzz::sends::{approve_router, op_calls, session_bounds, session_op};
use crate::fuzz::{
    hooked_token_address, owner_id, token_address, HookSigner, OwnerKind, Tamper, THIRD_PARTY,
};
use crate::model::{Path, Route, SignedAuthorization, Submission, Verdict};
use session_account::contract::ContractError;

/// Whether a verdict refuses the carried authorization itself (§3.2, §1.1).
fn refuses_authorization(verdict: Verdict) -> bool {
    use ContractError::*;
    !matches!(verdict, Verdict::Accepted)
        && matches!(
            verdict.error(),
            Some(
                SessionInvalidAuthorization
                    | SessionAlreadyRegistered
                    | SessionInvalidKey
                    | SessionInvalidWindow
                    | SessionInvalidRenewal
                    | SessionInvalidCallCaps
                    | SessionDuplicateEntry
                    | SessionInvalidLimitToken
                    | SessionRevoked
            )
        )
}

impl Reference {
    /// [`Op::Grant`]: the owner registers the policy in a transaction
    /// (§3.1), or hands out an authorization that slot's next operation
    /// carries (§3.2).
    pub(super) fn apply_grant(&mut self, slot: usize, choice: PolicyChoice, how: Grant) -> Verdict {
        let policy = policy_for(self.model.account, slot, choice, self.now);
        if how == Grant::ByTransaction {
            self.nonce += 1;
            self.model.register(&policy)
        } else {
            self.pending[slot] = Some(self.authorization(policy, how));
            Verdict::Accepted
        }
    }

    /// [`Op::OwnerRevoke`]: the owner revokes slot's session and, with
    /// `clear`, the allowances it granted (§4.10).
    pub(super) fn apply_owner_revoke(&mut self, slot: usize, clear: bool) -> Verdict {
        self.nonce += 1;
        let key = Reference::key(slot);
        if clear {
            self.model.revoke_clearing_allowances(key)
        } else {
            self.model.revoke(key)
        }
    }

    /// [`Op::RevokeAll`]: the owner's revoke-all.
    pub(super) fn apply_revoke_all(&mut self) -> Verdict {
        self.nonce += 1;
        self.model.revoke_all()
    }

    /// [`Op::RotateOwner`]: the owner rotates its key (§7.3).
    pub(super) fn apply_rotation(&mut self, back: bool, to: OwnerKind) -> Verdict {
        self.nonce += 1;
        let target = self.rotation_target(back, to);
        self.owner_keys.push(target);
        self.model.set_owner(owner_id(target))
    }

    /// [`Op::UnprovenRotation`]: the new key did not sign the rotation
    /// message, so the rotation reverts and the owner stays (§7.3).
    pub(super) fn apply_unproven_rotation(&mut self) -> Verdict {
        self.nonce += 1;
        Verdict::Reverted(Some(ContractError::InvalidOwnerKey))
    }

    /// [`Op::SignatureQuery`]: `is_valid_signature` says `'VALID'` for the
    /// owner's signature in its layout only, never for a session key's, in
    /// either layout (§7.2); a refusal reads as an invalid signature.
    pub(super) fn judge_signature_query(signer: HookSigner) -> Verdict {
        match signer {
            HookSigner::Owner => Verdict::Accepted,
            HookSigner::Session(_) => Verdict::Rejected(Some(ContractError::InvalidSignature)),
        }
    }

    /// [`Op::TamperedOwner`]: the owner's revoke-all, its signature
    /// tampered with (§2.3); it goes through when the tamper cannot matter
    /// to the current owner's kind.
    pub(super) fn apply_tampered_owner(&mut self, tamper: Tamper) -> Verdict {
        match tamper.refusal(OwnerKind::of(self.owner_key_id())) {
            None => {
                self.nonce += 1;
                self.model.revoke_all()
            }
            Some(error) => Verdict::Rejected(Some(error)),
        }
    }

    /// [`Op::SpenderPulls`]: the third party takes what the account allows
    /// it, outside any session transaction.
    pub(super) fn apply_spender_pull(&mut self, over: bool) -> Verdict {
        let amount = self.spender_pull_amount(over);
        self.model.spender_pulls(token_address(), THIRD_PARTY, amount)
    }

    /// [`Op::OwnerOutside`]: the owner's outside execution, relayed (§11).
    pub(super) fn apply_owner_outside(&mut self, op: &Op, reuse: bool) -> Verdict {
        let nonce = self.owner_outside_nonce(reuse);
        let calls = op_calls(self, op);
        self.model.owner_outside(nonce, &calls)
    }

    /// [`Op::OwnerApproveRouter`]: the owner approves the router.
    pub(super) fn apply_owner_approve_router(&mut self, amount: u128) -> Verdict {
        self.nonce += 1;
        self.model.owner_calls(&[approve_router(amount)])
    }

    /// [`Op::ArmHook`]: the third party arms the hooked token.
    pub(super) fn apply_arm_hook(&mut self) -> Verdict {
        self.model.ledger.arm_hook(hooked_token_address());
        Verdict::Accepted
    }

    /// The time operations: the clock moves to `t`, kept off whole hours
    /// and window boundaries ([`Self::clock`]).
    pub(super) fn move_clock(&mut self, t: u64) -> Verdict {
        self.now = self.clock(t);
        Verdict::Accepted
    }

    /// Time to exactly `t`, even onto an hour or a window's edge.
    pub(super) fn move_clock_exactly(&mut self, t: u64) -> Verdict {
        self.now = t;
        Verdict::Accepted
    }

    /// [`Op::ReplayTransaction`]: the node refuses a spent nonce before
    /// the account sees it.
    pub(super) fn apply_replay_transaction(&self) -> Verdict {
        match self.last_transaction {
            Some(_) => Verdict::Rejected(None),
            None => Verdict::Accepted,
        }
    }

    /// [`Op::ReplayOutside`]: the last outside execution, submitted again
    /// as it was signed (§11).
    pub(super) fn apply_replay_outside(&mut self) -> Verdict {
        match self.last_outside.clone() {
            Some(sent) => {
                let verdict = self.model.submit(&Submission {
                    key: Reference::key(sent.slot),
                    authorization: sent.authorization.as_ref(),
                    calls: &sent.calls,
                    now: self.now,
                    signature: sent.signing,
                    route: Route::Gasless(sent.terms),
                });
                // The replay registered the session its authorization
                // grants: that authorization is spent.
                if verdict == Verdict::Accepted
                    && sent.authorization.is_some()
                    && self.pending[sent.slot] == sent.authorization
                {
                    self.pending[sent.slot] = None;
                }
                verdict
            }
            None => Verdict::Accepted,
        }
    }

    /// An operation a session signs (§4), sent as a transaction or an
    /// outside execution: the model judges it; the authorization it carried
    /// is settled, and what was sent is kept for replays.
    pub(super) fn apply_session(&mut self, session: &Op) -> Verdict {
        let (slot, path, signing) = session_op(session).expect("a session op");
        let calls = op_calls(self, session);
        let authorization = self.pending[slot].clone();
        let route = self.session_route(session, slot, path);
        let key = Reference::key(slot);
        let verdict = self.model.submit(&Submission {
            key,
            authorization: authorization.as_ref(),
            calls: &calls,
            now: self.now,
            signature: signing,
            route,
        });
        self.settle_authorization(slot, authorization.as_ref(), verdict);
        match route {
            Route::Direct { .. } => {
                if verdict.included() {
                    self.last_transaction =
                        Some(SentTransaction { slot, calls, nonce: self.nonce });
                    self.nonce += 1;
                }
            }
            Route::Gasless(terms) => {
                self.last_outside = Some(SentOutside { slot, calls, terms, signing, authorization })
            }
        }
        verdict
    }

    /// How slot's session operation `session` travels along `path`: a
    /// transaction with its fee bounds' most fee (§4.5), or an outside
    /// execution with this step's terms (§11).
    fn session_route(&self, session: &Op, slot: usize, path: Path) -> Route {
        match path {
            Path::Direct => Route::Direct {
                max_fee: session_bounds(self, session, slot).max_fee(),
                unsupported_fields: matches!(session, Op::UnsupportedTxField { .. }),
            },
            Path::Gasless => Route::Gasless(self.terms_of(session)),
        }
    }

    /// A used authorization is spent (an included transaction registered
    /// its session, even if it reverted); a refused one is dropped, as a
    /// wallet would (it can never verify again).
    fn settle_authorization(
        &mut self,
        slot: usize,
        authorization: Option<&SignedAuthorization>,
        verdict: Verdict,
    ) {
        let key = Reference::key(slot);
        let registered = authorization
            .is_some_and(|a| self.model.sessions.get(&key).is_some_and(|s| s.policy == a.policy));
        if registered || (authorization.is_some() && refuses_authorization(verdict)) {
            self.pending[slot] = None;
        }
    }
}
