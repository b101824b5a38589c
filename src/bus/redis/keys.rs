//! Where a cluster keeps things in Redis: the keys and channels of sessions and nodes, and the two scripts
//! that renew and release a lease atomically.

pub(super) fn lease_key(code: &str) -> String {
    format!("samsyn:{{{code}}}:lease")
}

pub(super) fn stream_key(code: &str) -> String {
    format!("samsyn:{{{code}}}:commands")
}

pub(super) fn frames_channel(code: &str) -> String {
    format!("samsyn:{{{code}}}:frames")
}

/// Present while the node lives: its participants count as online only as long as this key does.
pub(super) fn alive_key(node: &str) -> String {
    format!("samsyn:node:{node}:alive")
}

pub(super) fn replies_channel(node: &str) -> String {
    format!("samsyn:node:{node}:replies")
}

/// Renews a lease held by `ARGV[1]`, or takes it again if it is gone (Redis restarted). 0: another node has it.
pub(super) const RENEW: &str = r#"
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if not holder then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0
"#;

/// Gives a lease up, if this node still holds it.
pub(super) const RELEASE: &str = r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"#;
