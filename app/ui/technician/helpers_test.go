package technician_test

import "crypto/ed25519"

type ed25519Key = ed25519.PublicKey

func pub(k ed25519.PrivateKey) ed25519.PublicKey { return k.Public().(ed25519.PublicKey) }
