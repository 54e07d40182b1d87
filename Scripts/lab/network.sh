# shellcheck shell=bash
# Part of Scripts/lab.sh (sourced by it): the network namespace, its addresses and firewall.

make_network() {
  ip netns add "$NS"
  ip link add "$LAB_VETH_ROOT" type veth peer name "$LAB_VETH_NS" netns "$NS"
  # No DAD anywhere on this link: addresses are usable at once.
  sysctl -qw "net.ipv6.conf.$LAB_VETH_ROOT.accept_dad=0"
  nsx sysctl -qw "net.ipv6.conf.$LAB_VETH_NS.accept_dad=0"
  ip addr add "$LAB_ROOT4/24" dev "$LAB_VETH_ROOT"
  ip addr add "$LAB_ROOT6/64" dev "$LAB_VETH_ROOT" nodad
  ip link set "$LAB_VETH_ROOT" up

  nsx ip link set lo up
  local a
  for a in "$LAB_MAIL4" "$LAB_CLOSED4" "$LAB_DARK4" "$LAB_REJECT4" "$LAB_SMTPBLOCK4" "$LAB_SMTPREJECT4" \
    $(host_addrs "${TLS_HOSTS[@]}" "${FAULT_HOSTS[@]}"); do
    nsx ip addr add "$a/24" dev "$LAB_VETH_NS"
  done
  for a in "$LAB_MAIL6" "$LAB_DARK6"; do
    nsx ip addr add "$a/64" dev "$LAB_VETH_NS" nodad
  done
  nsx ip link set "$LAB_VETH_NS" up
  # No ICMP rate limiting, or after a burst of rejects connect() takes a second.
  nsx sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv6.icmp.ratelimit=0
  # (The namespace has no default route: nothing in it can reach beyond the link.)

  # Firewall, inside the namespace only.
  local smtp
  smtp=$(IFS=,; echo "${SMTP_PORTS[*]}")
  nsx nft -f - <<EOF
table inet sdlab {
  chain input {
    type filter hook input priority filter; policy accept;
    # dark: every packet dropped (ARP is not seen here, so the host stays on the link)
    ip daddr $LAB_DARK4 drop
    # dark6: everything dropped except neighbour discovery (same reason)
    ip6 daddr $LAB_DARK6 icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert } accept
    ip6 daddr $LAB_DARK6 drop
    # reject: every TCP SYN refused by an "administratively prohibited" ICMP
    ip daddr $LAB_REJECT4 tcp flags & (syn | ack) == syn reject with icmp type admin-prohibited
    # smtpblock / smtpreject: only the mail ports
    ip daddr $LAB_SMTPBLOCK4 tcp dport { $smtp } drop
    ip daddr $LAB_SMTPREJECT4 tcp dport { $smtp } reject with icmp type admin-prohibited
  }
}
EOF
  # Resolver for processes in the namespace (ip netns exec bind-mounts it).
  mkdir -p "/etc/netns/$NS"
  echo "nameserver $LAB_ROOT4" >"/etc/netns/$NS/resolv.conf"
}
