-- When the policy version took effect, so that a device enrolled later gets the assignment with its time.
ALTER TABLE user_policy ADD COLUMN assigned_at TIMESTAMPTZ NOT NULL DEFAULT now();
