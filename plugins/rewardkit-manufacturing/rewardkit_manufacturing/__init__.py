"""rewardkit-manufacturing: ISO 286 fits, torque specs, surface roughness, inspection plans."""
