-- Policy reports find a policy's users by policy id alone.
CREATE INDEX user_policy_policy ON user_policy (policy_id);
