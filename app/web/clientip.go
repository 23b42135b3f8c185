package web

import (
	"net"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// ClientIPFunc returns how to find a browser's address: the connection's address, or, when
// that is one of the trusted proxies, the last address in X-Forwarded-For that is not.
func ClientIPFunc(trusted []string) (func(c *fiber.Ctx) string, error) {
	var nets []*net.IPNet
	for _, t := range trusted {
		_, n, err := net.ParseCIDR(t)
		if err != nil {
			return nil, err
		}
		nets = append(nets, n)
	}
	isTrusted := func(ip net.IP) bool {
		for _, n := range nets {
			if n.Contains(ip) {
				return true
			}
		}
		return false
	}
	return func(c *fiber.Ctx) string {
		remote := c.Context().RemoteIP()
		if len(nets) == 0 || !isTrusted(remote) {
			return remote.String()
		}
		hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			ip := net.ParseIP(strings.TrimSpace(hops[i]))
			if ip == nil {
				break
			}
			if !isTrusted(ip) {
				return ip.String()
			}
		}
		return remote.String()
	}, nil
}
